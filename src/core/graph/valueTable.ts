/**
 * The graph's values, with their numbers in one table. A value as a plain object was ten fields —
 * 44 bytes and more, 5.1 MB for the 119,000 values of a 50,000-node model — most of them numbers
 * and flags. Here a value keeps its name, its type and its stored tensor; its producer, readers and
 * flags are five numbers in a typed array shared by the graph's values (outside the JS heap), read
 * through accessors, so every reader of `Value` is unchanged.
 */
import type { TensorProto } from '../onnx/types';
import type { ValueType } from './dims';
import type { Value } from './graphTypes';

const PRODUCER = 0;
const SLOT = 1;
const FIRST_READER = 2;
const READER_COUNT = 3;
const FLAGS = 4;
const WIDTH = 5;

const GRAPH_INPUT = 1;
const GRAPH_OUTPUT = 2;
const HAS_INITIALIZER = 4;
/** `constant` is the value's stored tensor. */
const CONSTANT = 8;
/** The value has an entry in `ValueTable.rare` (checked first: most values are never looked up there). */
const RARE = 16;

/** What few values have: a constant other than their initializer, or why an initializer is not a constant. */
interface Rare {
  constant?: TensorProto;
  notConstantBecause?: string;
}

export class ValueTable {
  /** Five numbers a value (see the offsets above); grown by doubling, trimmed by `seal`. */
  numbers: Int32Array;
  count = 0;
  readonly rare = new Map<TableValue, Rare>();

  /** `expected`: how many values the graph will likely have (buffers grown and dropped on the way add to the GC's work). */
  constructor(expected: number) {
    this.numbers = new Int32Array(WIDTH * Math.max(64, expected));
  }

  add(name: string): TableValue {
    const at = this.count++ * WIDTH;
    if (at + WIDTH > this.numbers.length) {
      const grown = new Int32Array(Math.max(WIDTH * 64, this.numbers.length * 2));
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[at + PRODUCER] = -1;
    this.numbers[at + SLOT] = -1;
    return new TableValue(name, this, at);
  }

  /** Fits the table to its values once the graph is built, when much of it is unused. */
  seal(): void {
    if (this.numbers.length > 1.25 * this.count * WIDTH + 64 * WIDTH) this.numbers = this.numbers.slice(0, this.count * WIDTH);
  }
}

export class TableValue implements Value {
  readonly name: string;
  type: ValueType | undefined = undefined;
  /** The initializer, or else the constant (see the flags). */
  private tensor: TensorProto | undefined = undefined;
  private readonly table: ValueTable;
  private readonly at: number;

  constructor(name: string, table: ValueTable, at: number) {
    this.name = name;
    this.table = table;
    this.at = at;
  }

  private flag(bit: number): boolean {
    return (this.table.numbers[this.at + FLAGS] & bit) !== 0;
  }

  private setFlag(bit: number, on: boolean): void {
    const n = this.table.numbers;
    n[this.at + FLAGS] = on ? n[this.at + FLAGS] | bit : n[this.at + FLAGS] & ~bit;
  }

  get producer(): number {
    return this.table.numbers[this.at + PRODUCER];
  }
  set producer(v: number) {
    this.table.numbers[this.at + PRODUCER] = v;
  }
  get producerSlot(): number {
    return this.table.numbers[this.at + SLOT];
  }
  set producerSlot(v: number) {
    this.table.numbers[this.at + SLOT] = v;
  }
  get firstReader(): number {
    return this.table.numbers[this.at + FIRST_READER];
  }
  set firstReader(v: number) {
    this.table.numbers[this.at + FIRST_READER] = v;
  }
  get readerCount(): number {
    return this.table.numbers[this.at + READER_COUNT];
  }
  set readerCount(v: number) {
    this.table.numbers[this.at + READER_COUNT] = v;
  }
  get isGraphInput(): boolean {
    return this.flag(GRAPH_INPUT);
  }
  set isGraphInput(v: boolean) {
    this.setFlag(GRAPH_INPUT, v);
  }
  get isGraphOutput(): boolean {
    return this.flag(GRAPH_OUTPUT);
  }
  set isGraphOutput(v: boolean) {
    this.setFlag(GRAPH_OUTPUT, v);
  }

  get initializer(): TensorProto | undefined {
    return this.flag(HAS_INITIALIZER) ? this.tensor : undefined;
  }
  set initializer(t: TensorProto | undefined) {
    // A constant that was the old stored tensor keeps its value.
    const constant = this.constant;
    this.tensor = t;
    this.setFlag(HAS_INITIALIZER, t !== undefined);
    this.constant = constant;
  }

  get constant(): TensorProto | undefined {
    if (this.flag(CONSTANT)) return this.tensor;
    return this.flag(RARE) ? this.table.rare.get(this)?.constant : undefined;
  }
  set constant(t: TensorProto | undefined) {
    const rare = this.table.rare.get(this);
    if (rare) delete rare.constant;
    this.setFlag(CONSTANT, false);
    if (t === undefined) {
      this.tidy();
    } else if (this.tensor === t || !this.flag(HAS_INITIALIZER)) {
      this.tensor = t;
      this.setFlag(CONSTANT, true);
      this.tidy();
    } else {
      this.rareOf().constant = t;
    }
  }

  get notConstantBecause(): string | undefined {
    return this.flag(RARE) ? this.table.rare.get(this)?.notConstantBecause : undefined;
  }
  set notConstantBecause(why: string | undefined) {
    if (why === undefined) {
      const rare = this.table.rare.get(this);
      if (rare) delete rare.notConstantBecause;
      this.tidy();
    } else {
      this.rareOf().notConstantBecause = why;
    }
  }

  private rareOf(): Rare {
    let r = this.table.rare.get(this);
    if (!r) this.table.rare.set(this, (r = {}));
    this.setFlag(RARE, true);
    return r;
  }

  /** Drops an emptied entry, and the stored tensor when nothing names it any more. */
  private tidy(): void {
    const r = this.table.rare.get(this);
    if (r && r.constant === undefined && r.notConstantBecause === undefined) {
      this.table.rare.delete(this);
      this.setFlag(RARE, false);
    }
    if (!this.flag(HAS_INITIALIZER) && !this.flag(CONSTANT)) this.tensor = undefined;
  }
}
