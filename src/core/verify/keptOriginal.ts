/**
 * The original model's side of a verify, kept between verifies while the same model stays open (the
 * page's verification worker holds one): a fold changes only the fused model, so the original's
 * session is made once — ahead of the first click when there is time — and the outputs of its last
 * inputs are kept too. Same inputs, same outputs: they are keyed by the input tensors' own bytes
 * (not by how they were asked for), so any change of seed, dims, typed values or files runs the
 * original again. Whoever keeps it releases it when the model is closed or another one opened.
 * The page's worker keeps the model on screen (the fused side) the same way, under its state's number.
 */
import type { TensorValue } from '../tensorFiles/tensorValue';
import { startRuntime, type ExternalFiles, type OrtEngine, type OrtOptimization, type OrtSession, type OrtTensor } from './ortSession';

/** A model's outputs from its timed runs: the first and the last (whether it is deterministic) and the median time. */
export interface TimedRun {
  first: Record<string, OrtTensor>;
  result: Record<string, OrtTensor>;
  runMs: number;
  runs: number;
}

/** The kept session as verify takes it: when it was made, and whether this verify made it. */
export interface KeptSession {
  session: OrtSession;
  createMs: number;
  /** Made before this verify asked for it (ahead of the click, or by an earlier verify). */
  madeBefore: boolean;
}

/** A new session and how long creating it took. */
export async function timedSession(engine: OrtEngine, bytes: Uint8Array, externalData: ExternalFiles, optimization: OrtOptimization): Promise<{ session: OrtSession; createMs: number }> {
  const t0 = performance.now();
  const session = await engine.createSession(bytes, externalData, optimization);
  return { session, createMs: performance.now() - t0 };
}

const bytesOf = (t: TensorValue): Uint8Array => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);

/** The same tensors: names, dtypes, dims and every byte. */
export function sameTensors(a: Readonly<Record<string, TensorValue>>, b: Readonly<Record<string, TensorValue>>): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  for (const name of names) {
    const x = a[name];
    const y = b[name];
    if (!y || x.dtype !== y.dtype || x.dims.length !== y.dims.length || x.dims.some((d, i) => d !== y.dims[i])) return false;
    const p = bytesOf(x);
    const q = bytesOf(y);
    if (p.length !== q.length) return false;
    for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
  }
  return true;
}

export class KeptOriginal {
  private made: Promise<{ session: OrtSession; createMs: number }> | null = null;
  private last: { inputs: Record<string, TensorValue>; run: TimedRun } | null = null;
  private released = false;

  /** `key`: the caller's name for this model and its data files (a new one for each model opened). */
  constructor(
    readonly key: number,
    private readonly engine: OrtEngine,
    /** Dropped once the session holds the model (onnxruntime keeps its own copy). */
    private bytes: Uint8Array | null,
    private readonly externalData: ExternalFiles,
  ) {}

  /** Starts making the session now (ahead of a verify); the runtime's own start is not counted in its time. */
  makeAhead(): void {
    this.make();
  }

  private make(): Promise<{ session: OrtSession; createMs: number }> {
    if (this.made) return this.made;
    const bytes = this.bytes;
    if (this.released || !bytes) return Promise.reject(new Error('The kept session was released.'));
    const made = startRuntime(this.engine).then(() => timedSession(this.engine, bytes, this.externalData, 'disabled'));
    made.then(
      () => {
        if (this.made === made) this.bytes = null;
      },
      // A failed session is not kept: the next verify tries again (and says why it fails).
      () => {
        if (this.made === made) this.made = null;
      },
    );
    this.made = made;
    return made;
  }

  async session(): Promise<KeptSession> {
    const madeBefore = this.made !== null;
    const s = await this.make();
    return { ...s, madeBefore };
  }

  /** The runs of exactly these inputs, if the last verify ran them. */
  runOf(inputs: Readonly<Record<string, TensorValue>>): TimedRun | null {
    return this.last && sameTensors(this.last.inputs, inputs) ? this.last.run : null;
  }

  /** Keeps these inputs' runs (only the last inputs': another set replaces them). */
  remember(inputs: Record<string, TensorValue>, run: TimedRun): void {
    this.last = { inputs, run };
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.last = null;
    this.bytes = null;
    const made = this.made;
    this.made = null;
    if (made) await made.then((s) => s.session.release()).catch(() => {});
  }
}
