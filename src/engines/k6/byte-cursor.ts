// A cursor over the bytes of one JSON line, with the primitives of a strict validator (RFC 8259): whitespace,
// literals, strings (plain, or with escapes checked), numbers (grammar and value), arrays and objects skipped. A
// violation throws BAIL, which the line scanner turns into "fall back to JSON.parse" (which then decides).

import { latin1 } from './point-fields.ts';

// Character codes.
export const QUOTE = 34;
export const BACKSLASH = 92;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
export const COLON = 58;
export const COMMA = 44;
export const MINUS = 45;
export const ZERO = 48;
export const NINE = 57;

/** Nesting deeper than this (never in k6 output) goes to JSON.parse. */
export const MAX_DEPTH = 32;

/** The context of an object nobody reads (member() skips its values). */
export const SKIPPED = -1;

/** Thrown inside a scan to abandon the line (caught by the scanner; never escapes it). */
export const BAIL = { bail: true };

const bytesOf = (text: string) => Uint8Array.from(Buffer.from(text, 'latin1'));
export const TRUE = bytesOf('true');
export const FALSE = bytesOf('false');
export const NULL = bytesOf('null');
export { bytesOf };

export class ByteCursor {
  protected b: Uint8Array = new Uint8Array(0);
  /** The cursor, and the end of the line (exclusive). */
  protected i = 0;
  protected end = 0;
  protected depth = 0;

  protected peek(): number {
    return this.i < this.end ? this.b[this.i]! : -1;
  }

  protected ws(): void {
    const b = this.b;
    let i = this.i;
    while (i < this.end) {
      const c = b[i]!;
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
    this.i = i;
  }

  /** The bytes of `literal` at the cursor (then moved past them). */
  protected literal(literal: Uint8Array): boolean {
    const b = this.b;
    const at = this.i;
    if (at + literal.length > this.end) return false;
    for (let k = 0; k < literal.length; k++) if (b[at + k] !== literal[k]) return false;
    this.i = at + literal.length;
    return true;
  }

  /** A plain string's content starting at `start` (after its quote): its end, the cursor past the closing quote; -1 if not plain. */
  protected plainStringFrom(start: number): number {
    const b = this.b;
    const end = this.end;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c === QUOTE) {
        this.i = i + 1;
        return i;
      }
      if (c === BACKSLASH || c >= 128 || c < 32) return -1;
    }
    return -1;
  }

  /**
   * A string without escapes or non-ASCII bytes: moves past its closing quote and returns the end of its content,
   * or -1 (cursor unspecified) when it has either; throws on a control character or no closing quote.
   */
  protected plainString(): number {
    const b = this.b;
    const end = this.end;
    for (let i = this.i + 1; i < end; i++) {
      const c = b[i]!;
      if (c === QUOTE) {
        this.i = i + 1;
        return i;
      }
      if (c === BACKSLASH || c >= 128) return -1;
      if (c < 32) throw BAIL;
    }
    throw BAIL;
  }

  /** Any string (the cursor is on its opening quote), validated: escapes well-formed, no control characters. */
  protected skipString(): void {
    const b = this.b;
    const end = this.end;
    let i = this.i + 1;
    while (i < end) {
      const c = b[i]!;
      if (c === QUOTE) {
        this.i = i + 1;
        return;
      }
      if (c < 32) throw BAIL;
      if (c === BACKSLASH) {
        if (i + 1 >= end) throw BAIL;
        const e = b[i + 1]!;
        if (e === 117 /* u */) {
          if (i + 6 > end) throw BAIL;
          for (let h = i + 2; h < i + 6; h++) if (!isHex(b[h]!)) throw BAIL;
          i += 6;
          continue;
        }
        if (e !== QUOTE && e !== BACKSLASH && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) throw BAIL;
        i += 2;
        continue;
      }
      i++;
    }
    throw BAIL;
  }

  protected skipValue(): void {
    const c = this.peek();
    if (c === QUOTE) return this.skipString();
    if (c === OPEN_BRACE) return this.object(SKIPPED);
    if (c === OPEN_BRACKET) return this.array();
    if (c === MINUS || (c >= ZERO && c <= NINE)) return void this.numberEnd();
    if (this.literal(TRUE) || this.literal(FALSE) || this.literal(NULL)) return;
    throw BAIL;
  }


  /**
   * An object (the cursor is on its `{`): keys must be plain strings (a key with escapes throws: JSON.parse decides
   * what it means), each value goes to member() with `context`, which skips it here.
   */
  protected object(context: number): void {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    const b = this.b;
    this.i++; // {
    this.ws();
    if (this.peek() === CLOSE_BRACE) {
      this.i++;
      this.depth--;
      return;
    }
    for (;;) {
      if (this.peek() !== QUOTE) throw BAIL;
      const k0 = this.i + 1;
      const k1 = this.plainString();
      if (k1 < 0) throw BAIL;
      if (this.i < this.end && b[this.i] === COLON) this.i++;
      else {
        this.ws();
        if (this.peek() !== COLON) throw BAIL;
        this.i++;
      }
      this.ws();
      this.member(context, k0, k1);
      this.ws();
      const c = this.peek();
      this.i++;
      if (c === COMMA) {
        this.ws();
        continue;
      }
      if (c === CLOSE_BRACE) break;
      throw BAIL;
    }
    this.depth--;
  }

  /** The value of an object's member, the cursor on it: skipped (validated) here; subclasses read what they want. */
  protected member(_context: number, _k0: number, _k1: number): void {
    this.skipValue();
  }

  protected array(): void {
    if (++this.depth > MAX_DEPTH) throw BAIL;
    this.i++; // [
    this.ws();
    if (this.peek() === CLOSE_BRACKET) {
      this.i++;
      this.depth--;
      return;
    }
    for (;;) {
      this.skipValue();
      this.ws();
      const c = this.peek();
      this.i++;
      if (c === COMMA) {
        this.ws();
        continue;
      }
      if (c === CLOSE_BRACKET) break;
      throw BAIL;
    }
    this.depth--;
  }

  /** Validate a JSON number at the cursor (RFC 8259 grammar) and move past it; returns its start. */
  protected numberEnd(): number {
    const b = this.b;
    const end = this.end;
    const start = this.i;
    let i = start;
    if (b[i] === MINUS) i++;
    const first = i < end ? b[i]! : -1;
    if (first === ZERO) i++;
    else if (first > ZERO && first <= NINE) while (i < end && isDigit(b[i]!)) i++;
    else throw BAIL;
    if (i < end && b[i] === 46 /* . */) {
      i++;
      if (!(i < end && isDigit(b[i]!))) throw BAIL;
      while (i < end && isDigit(b[i]!)) i++;
    }
    const e = i < end ? b[i]! : -1;
    if (e === 101 || e === 69) {
      i++;
      const sign = i < end ? b[i]! : -1;
      if (sign === 43 || sign === MINUS) i++;
      if (!(i < end && isDigit(b[i]!))) throw BAIL;
      while (i < end && isDigit(b[i]!)) i++;
    }
    this.i = i;
    return start;
  }

  /**
   * A JSON number's value, as JSON.parse gives it: up to 15 significant digits without an exponent are computed as
   * integer / 10^k (both exact doubles, one correctly rounded division: the same double as Number()), else Number().
   */
  protected number(): number {
    const b = this.b;
    const start = this.numberEnd();
    const end = this.i;
    let i = start;
    const negative = b[i] === MINUS;
    if (negative) i++;
    let mantissa = 0;
    let digits = 0;
    let scale = 1;
    let fraction = false;
    for (; i < end; i++) {
      const c = b[i]!;
      if (c === 46) {
        fraction = true;
        continue;
      }
      if (c > NINE || c < ZERO) return Number(latin1(b, start, end)); // an exponent
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      if (fraction) scale *= 10;
    }
    if (digits > 15) return Number(latin1(b, start, end));
    const value = scale === 1 ? mantissa : mantissa / scale;
    return negative ? -value : value;
  }
}

export function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
