/**
 * A safe arithmetic evaluator: a recursive-descent parser over numbers, `+ - * / ^ %`,
 * parentheses and unary minus. It never calls `eval` or `Function`, so text such as
 * `process.exit()` is a parse error, not code.
 *
 * Grammar (`^` binds tighter than unary minus and is right-associative, as in maths):
 *   expression := term (('+' | '-') term)*
 *   term       := unary (('*' | '/' | '%') unary)*
 *   unary      := '-' unary | power
 *   power      := primary ('^' unary)?
 *   primary    := number | '(' expression ')'
 */

export class CalculatorError extends Error {
  override readonly name = 'CalculatorError';
}

const MAX_LENGTH = 500;
const MAX_DEPTH = 64;

export function calculate(expression: string): number {
  if (expression.length > MAX_LENGTH) throw new CalculatorError(`expression is longer than ${MAX_LENGTH} characters`);
  const parser = new Parser(expression);
  const value = parser.parse();
  if (!Number.isFinite(value)) throw new CalculatorError(`result is not a finite number: ${expression}`);
  return value;
}

class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): number {
    const value = this.expression();
    this.skipSpaces();
    if (this.position < this.text.length) this.fail(`unexpected '${this.text[this.position]}'`);
    return value;
  }

  private expression(): number {
    let value = this.term();
    for (;;) {
      if (this.accept('+')) value += this.term();
      else if (this.accept('-')) value -= this.term();
      else return value;
    }
  }

  private term(): number {
    let value = this.unary();
    for (;;) {
      if (this.accept('*')) value *= this.unary();
      else if (this.accept('/')) {
        const divisor = this.unary();
        if (divisor === 0) this.fail('division by zero');
        value /= divisor;
      } else if (this.accept('%')) {
        const divisor = this.unary();
        if (divisor === 0) this.fail('modulo by zero');
        value %= divisor;
      } else return value;
    }
  }

  private unary(): number {
    return this.nested(() => (this.accept('-') ? -this.unary() : this.power()));
  }

  private power(): number {
    const base = this.primary();
    return this.accept('^') ? base ** this.unary() : base;
  }

  private primary(): number {
    if (this.accept('(')) {
      const value = this.nested(() => this.expression());
      if (!this.accept(')')) this.fail("missing ')'");
      return value;
    }
    this.skipSpaces();
    const match = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/i.exec(this.text.slice(this.position));
    if (!match) {
      const found = this.position < this.text.length ? `'${this.text[this.position]}'` : 'end of input';
      this.fail(`expected a number, found ${found}`);
    }
    this.position += match[0].length;
    return Number(match[0]);
  }

  /** Guards recursion so `((((...` thousands deep is an error, not a stack overflow. */
  private nested(parse: () => number): number {
    if (++this.depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels`);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private accept(symbol: string): boolean {
    this.skipSpaces();
    if (this.text[this.position] !== symbol) return false;
    this.position++;
    return true;
  }

  private skipSpaces(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position++;
  }

  private fail(message: string): never {
    throw new CalculatorError(`${message} at position ${this.position} in "${this.text}"`);
  }
}

/** Formats a result for an answer: at most four decimals, no trailing zeros, no exponent for everyday sizes. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 10_000) / 10_000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}
