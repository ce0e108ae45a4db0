/**
 * Reading a tool's input from the model: each field checked, the first bad one named in one
 * sentence. Numbers and booleans sent as strings ("5", "true") are taken, as Claude Code takes them.
 */
import { oneLine } from './text';

/** Bad input from the model; `runTool` turns it into an error result, it never leaves this folder. */
export class BadInput extends Error {}

interface NumberRule {
  min?: number;
  max?: number;
  /** What the number means, for the sentence ("a line number"). */
  what?: string;
}

/** The fields of one tool's input. */
export class InputReader {
  private readonly fields: Readonly<Record<string, unknown>>;

  constructor(
    private readonly tool: string,
    input: unknown,
  ) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new BadInput(`The input to ${tool} must be a JSON object with its fields, not ${describe(input)}.`);
    }
    this.fields = input as Record<string, unknown>;
  }

  /** A required, non-blank string; `what` says what it is, for the "missing" sentence. */
  requiredString(name: string, what: string): string {
    const value = this.optionalString(name);
    if (value === undefined || value.trim() === '') {
      throw new BadInput(`${this.tool} needs "${name}": ${what}.`);
    }
    return value;
  }

  /** An optional string; null and absent are the same. */
  optionalString(name: string): string | undefined {
    const value = this.value(name);
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'string') {
      throw new BadInput(`The "${name}" field of ${this.tool} must be a string, not ${describe(value)}.`);
    }
    return value;
  }

  /** An optional whole number within the rule's bounds. */
  optionalInteger(name: string, rule: NumberRule = {}): number | undefined {
    const raw = this.value(name);
    if (raw === undefined) {
      return undefined;
    }
    const value = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    const bounds =
      rule.max !== undefined ? ` from ${rule.min ?? 0} to ${rule.max}` : rule.min !== undefined ? ` of at least ${rule.min}` : '';
    if (typeof value !== 'number' || !Number.isInteger(value) || (rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
      throw new BadInput(`The "${name}" field of ${this.tool} must be ${rule.what ?? 'a whole number'}${bounds}, not ${describe(raw)}.`);
    }
    return value;
  }

  /** An optional boolean. */
  optionalBoolean(name: string): boolean | undefined {
    const raw = this.value(name);
    if (raw === undefined) {
      return undefined;
    }
    const value = raw === 'true' ? true : raw === 'false' ? false : raw;
    if (typeof value !== 'boolean') {
      throw new BadInput(`The "${name}" field of ${this.tool} must be true or false, not ${describe(raw)}.`);
    }
    return value;
  }

  /** An optional list of strings. */
  optionalStringArray(name: string): string[] | undefined {
    const value = this.value(name);
    if (value === undefined) {
      return undefined;
    }
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw new BadInput(`The "${name}" field of ${this.tool} must be a list of strings, not ${describe(value)}.`);
    }
    return value;
  }

  /** A required list, for fields whose items are checked one by one. */
  requiredArray(name: string, what: string): unknown[] {
    const value = this.value(name);
    if (value === undefined) {
      throw new BadInput(`${this.tool} needs "${name}": ${what}.`);
    }
    if (!Array.isArray(value)) {
      throw new BadInput(`The "${name}" field of ${this.tool} must be a list, not ${describe(value)}.`);
    }
    return value;
  }

  /** One of the given strings. */
  optionalEnum<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.optionalString(name);
    if (value === undefined) {
      return undefined;
    }
    if (!(allowed as readonly string[]).includes(value)) {
      throw new BadInput(`The "${name}" field of ${this.tool} must be one of ${allowed.join(', ')}, not ${describe(value)}.`);
    }
    return value as T;
  }

  private value(name: string): unknown {
    const value = Object.prototype.hasOwnProperty.call(this.fields, name) ? this.fields[name] : undefined;
    return value === null ? undefined : value;
  }
}

/** A short description of a value for a sentence: its JSON, cut. */
export function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? 'an empty list' : 'a list';
  }
  if (typeof value === 'object' && value !== null) {
    return 'an object';
  }
  // Strings, numbers, booleans, bigint, symbol, function: JSON where it exists, else the type.
  let json: string;
  try {
    json = JSON.stringify(value) ?? typeof value;
  } catch {
    json = typeof value;
  }
  json = oneLine(json);
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}
