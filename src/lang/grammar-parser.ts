/** The Chevrotain grammar of `.mia` (concrete syntax). The AST is built from its CST in build-ast.ts. */
import { CstParser } from './chevrotain.js';
import * as T from './tokens.js';

export class MiaParser extends CstParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: 'full' });
    this.performSelfAnalysis();
  }

  public program = this.RULE('program', () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  public item = this.RULE('item', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.experimentDecl) },
      { ALT: () => this.SUBRULE(this.importDecl) },
      { ALT: () => this.SUBRULE(this.datasetDecl) },
      { ALT: () => this.SUBRULE(this.modelDecl) },
      { ALT: () => this.SUBRULE(this.targetDecl) },
      { ALT: () => this.SUBRULE(this.shadowsDecl) },
      { ALT: () => this.SUBRULE(this.attackDecl) },
      { ALT: () => this.SUBRULE(this.defenseDecl) },
      { ALT: () => this.SUBRULE(this.sweepDecl) },
      { ALT: () => this.SUBRULE(this.reportDecl) },
      { ALT: () => this.SUBRULE(this.expectDecl) },
    ]);
  });

  public experimentDecl = this.RULE('experimentDecl', () => {
    this.CONSUME(T.Experiment);
    this.CONSUME(T.Identifier);
    this.OPTION(() => this.SUBRULE(this.block));
  });

  public importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLit);
  });

  public datasetDecl = this.RULE('datasetDecl', () => {
    this.CONSUME(T.Dataset);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  public modelDecl = this.RULE('modelDecl', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier);
    this.SUBRULE(this.block);
  });

  public targetDecl = this.RULE('targetDecl', () => {
    this.CONSUME(T.Target);
    this.CONSUME(T.Identifier);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expr);
        },
      },
      { ALT: () => this.SUBRULE(this.block) },
    ]);
  });

  public shadowsDecl = this.RULE('shadowsDecl', () => {
    this.CONSUME(T.Shadows);
    this.CONSUME(T.Identifier);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.expr);
        },
      },
      { ALT: () => this.SUBRULE(this.block) },
    ]);
  });

  public attackDecl = this.RULE('attackDecl', () => {
    this.CONSUME(T.Attack);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  public defenseDecl = this.RULE('defenseDecl', () => {
    this.CONSUME(T.Defense);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  public sweepDecl = this.RULE('sweepDecl', () => {
    this.CONSUME(T.Sweep);
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.sweepAxis);
      this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Semicolon) }, { ALT: () => this.CONSUME(T.Comma) }]));
    });
    this.CONSUME(T.RBrace);
  });

  public sweepAxis = this.RULE('sweepAxis', () => {
    this.SUBRULE(this.path);
    this.CONSUME(T.In);
    this.SUBRULE(this.expr);
  });

  public path = this.RULE('path', () => {
    this.CONSUME(T.Name);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Name);
    });
  });

  public reportDecl = this.RULE('reportDecl', () => {
    this.CONSUME(T.Report);
    this.SUBRULE(this.block);
  });

  public expectDecl = this.RULE('expectDecl', () => {
    this.CONSUME(T.Expect);
    this.SUBRULE(this.expectBlock);
  });

  /** `{ lira.tpr@0.1% < 2%, victim.test_accuracy >= 85% }`: comparisons on reported metrics. */
  public expectBlock = this.RULE('expectBlock', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.expectation);
      this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
    });
    this.CONSUME(T.RBrace);
  });

  public expectation = this.RULE('expectation', () => {
    this.SUBRULE(this.metricRef);
    this.SUBRULE(this.compareOp);
    this.SUBRULE(this.primary);
  });

  /**
   * A reported metric: `loss.auc`, `lira.tpr@0.1%`, `lira.tpr@1%.ci.upper`, `victim.test_accuracy`; over every
   * slice: `lira[class].tpr@1%`, `lira["sex"].auc`.
   */
  public metricRef = this.RULE('metricRef', () => {
    this.CONSUME(T.Name);
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.OR2([{ ALT: () => this.CONSUME3(T.Name) }, { ALT: () => this.CONSUME(T.StringLit) }]);
      this.CONSUME(T.RBracket);
    });
    this.MANY(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.CONSUME2(T.Name);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.At);
            this.SUBRULE(this.primary);
          },
        },
      ]),
    );
  });

  public compareOp = this.RULE('compareOp', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Less) },
      { ALT: () => this.CONSUME(T.LessEq) },
      { ALT: () => this.CONSUME(T.Greater) },
      { ALT: () => this.CONSUME(T.GreaterEq) },
    ]);
  });

  public block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.SUBRULE(this.entry);
      this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Comma) }, { ALT: () => this.CONSUME(T.Semicolon) }]));
    });
    this.CONSUME(T.RBrace);
  });

  public entry = this.RULE('entry', () => {
    this.OR([
      {
        // `expect {` opens comparisons; `expect` followed by anything else is an ordinary key.
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.CONSUME(T.Expect);
          this.SUBRULE(this.expectBlock);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Name);
          this.OPTION(() => this.CONSUME(T.Colon));
          this.SUBRULE(this.expr);
        },
      },
    ]);
  });

  public expr = this.RULE('expr', () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.postfix));
    this.OPTION(() => {
      this.CONSUME(T.At);
      this.SUBRULE2(this.primary);
    });
  });

  public postfix = this.RULE('postfix', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Dot);
          this.CONSUME(T.Name);
        },
      },
      { ALT: () => this.SUBRULE(this.callArgs) },
      { ALT: () => this.SUBRULE(this.block) },
    ]);
  });

  public callArgs = this.RULE('callArgs', () => {
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.arg) });
    this.CONSUME(T.RParen);
  });

  public arg = this.RULE('arg', () => {
    this.OPTION(() => {
      this.CONSUME(T.Name);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expr);
  });

  public primary = this.RULE('primary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.NumberLit);
          this.OPTION(() => this.CONSUME(T.Percent));
        },
      },
      { ALT: () => this.CONSUME(T.StringLit) },
      { ALT: () => this.CONSUME(T.Name) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.block) },
    ]);
  });

  public list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.MANY(() => {
      this.SUBRULE(this.expr);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });
}

/** One parser instance serves every parse (Chevrotain parsers are reusable via `input =`). */
export const miaParser = new MiaParser();
