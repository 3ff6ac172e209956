/**
 * The page store's verification paths beyond the plain Verify: the user's own inputs (per input a
 * choice, symbolic dims, a dropped test data set), verifying against another model file, where the
 * models part (per-value, painted on the graph) and onnxruntime's own optimizer check. Every run goes
 * to the verification worker (protocol.ts: `VerifyTask`); nothing heavy runs on the page.
 */
import { ownWords, VerifyFailedError, failureOfError } from '../../core/verify/verifyFailure';
import type { VerifyReport } from '../../core/verify/verify';
import type { OrtLevel } from '../../core/verify/ortCheck';
import type { PickedFile } from '../files';
import type { Snapshot } from '../../core/session/inspectorSession';
import type { PageInputs, Reference, VerifyJob, VerifyOutcome, VerifyTask } from '../worker/protocol';
import { CancelledError } from '../worker/verifier';
import { noCurrentModel, type PageError } from './pageState';
import { emptySetup, pageInputsOf, type InputChoice, type VerifySetup } from './verifySetup';
import { TeachingStore } from './teachingStore';

const TEST_DATA_FILE = /(^|[\\/])(input|output)_\d+\.pb$/;

function failureError(title: string): (e: unknown) => PageError {
  return (e) => {
    const f = failureOfError(e);
    return { title, message: f.sentence, ...(f.raw !== null ? { details: f.raw } : {}) };
  };
}

export class VerifyingStore extends TeachingStore {
  /** The choices for the model on screen (a newly opened file starts with none). */
  setup(): VerifySetup {
    const s = this.state.verifySetup;
    return s.openSeq === this.state.openSeq ? s : emptySetup(this.state.openSeq);
  }

  private patchSetup(p: Partial<VerifySetup>): void {
    this.set({ verifySetup: { ...this.setup(), ...p } });
  }

  setInputChoice = (name: string, choice: InputChoice): void => this.patchSetup({ inputs: { ...this.setup().inputs, [name]: choice } });
  setDimText = (name: string, text: string): void => this.patchSetup({ dims: { ...this.setup().dims, [name]: text } });
  setOrtLevel = (ortLevel: OrtLevel): void => this.patchSetup({ ortLevel });
  clearTestData = (): void => this.patchSetup({ testData: null });

  /** A dropped `test_data_set_N` folder or its files: its `input_N.pb` / `output_N.pb`; anything else is refused in words. */
  setTestData = (picked: PickedFile[]): void => {
    const files = picked.filter((f) => TEST_DATA_FILE.test(f.path));
    if (files.length === 0) {
      const names = picked.map((f) => f.path).slice(0, 4).join(', ');
      this.set({ error: { title: 'Not a test data set', message: `${names || 'Nothing'} ${picked.length === 1 ? 'is' : 'are'} not input_N.pb / output_N.pb files: a test data set (test_data_set_0/) holds input_0.pb, input_1.pb, … and output_0.pb, …` } });
      return;
    }
    const folder = files[0].path.includes('/') ? files[0].path.split('/').slice(-2, -1)[0] : 'dropped files';
    this.patchSetup({ testData: { name: folder, files: files.map((f) => ({ path: f.path, file: f.file })) } });
    this.set({ notice: `Test data set ${folder}: ${files.filter((f) => /input_/.test(f.path)).length} input(s), ${files.filter((f) => /output_/.test(f.path)).length} expected output(s). Verify uses them.` });
  };

  /** The user's inputs for the model on screen, or a refusal naming what is missing. */
  private given(): PageInputs {
    const inputs = this.state.snapshot?.summary.inputs ?? [];
    const r = pageInputsOf(inputs, this.setup());
    if (!r.ok) throw new VerifyFailedError(ownWords(r.problems.join(' ')));
    return r.given;
  }

  private reference(): Reference {
    const r = this.setup().reference;
    return r ? { kind: 'file', name: r.name, file: r.file } : { kind: 'original' };
  }

  protected override async showOpened(snapshot: Snapshot): Promise<void> {
    // Results of the model before belong to it.
    this.set({ perValue: null, ortCheck: null });
    await super.showOpened(snapshot);
  }

  protected override verifyTask(job: VerifyJob): VerifyTask {
    return { kind: 'verify', job, given: this.given(), reference: this.reference(), model: this.verifyModel };
  }

  /** A failed verification looks for where the models part at once. */
  protected override async verified(report: VerifyReport): Promise<void> {
    if (!report.pass && report.problems.length === 0) await this.whereDiffer();
  }

  /** Verifies the open model against another model file (and keeps it as the reference until cleared). */
  compareWithFile = async (file: File | null): Promise<void> => {
    this.patchSetup({ reference: file ? { name: file.name, file } : null });
    this.set({ perValue: null });
    if (file) await this.verify();
  };

  /** One task in the verification worker, with progress and Cancel. */
  private async task<K extends VerifyOutcome['kind']>(what: string, title: string, make: (job: VerifyJob) => VerifyTask, kind: K): Promise<Extract<VerifyOutcome, { kind: K }> | null> {
    let cancelled = false;
    return this.run(
      what,
      async (progress) => {
        progress('Preparing the models', 0.01);
        const job = await this.client.call('verifyJob', {});
        if (cancelled) throw new CancelledError();
        const outcome = await this.verifier.run(make(job), progress);
        if (outcome.kind !== kind) throw new Error(`The verification worker answered a ${outcome.kind} task.`);
        return outcome as Extract<VerifyOutcome, { kind: K }>;
      },
      failureError(title),
      {
        cancel: () => {
          cancelled = true;
          this.verifier.cancel();
        },
      },
    );
  }

  /** Both models run with every shared value as an output; the graph is painted by error and centred on the first divergent node. */
  whereDiffer = async (): Promise<void> => {
    if (noCurrentModel(this.state) || !this.state.snapshot) return;
    const openSeq = this.state.openSeq;
    const step = this.state.snapshot.step;
    const reference = this.reference();
    const r = await this.task('Where do they differ?', 'The per-value comparison could not run', (job) => ({ kind: 'per-value', job, given: this.given(), reference }), 'per-value');
    if (!r || openSeq !== this.state.openSeq || step !== this.state.snapshot?.step) return;
    this.set({ perValue: { result: r.result, openSeq, step, reference: reference.kind === 'file' ? reference.name : null } });
    const first = r.result.report.firstDivergent;
    const id = first ? r.result.nodeOf[first.name] : undefined;
    if (id) await this.reveal([id]);
  };

  /** The model on screen at optimizations disabled against onnxruntime's chosen level. */
  checkOrtOptimizer = async (): Promise<void> => {
    if (noCurrentModel(this.state) || !this.state.snapshot) return;
    const openSeq = this.state.openSeq;
    const step = this.state.snapshot.step;
    const level = this.setup().ortLevel;
    const r = await this.task(`onnxruntime's optimizer (${level})`, 'The onnxruntime check could not run', (job) => ({ kind: 'ort-check', job, given: this.given(), level }), 'ort-check');
    if (r && openSeq === this.state.openSeq) this.set({ ortCheck: { report: r.report, openSeq, step } });
  };

  /** Leaves the painted view. */
  clearPerValue = (): void => this.set({ perValue: null });
}
