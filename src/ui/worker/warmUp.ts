/**
 * The worker's warm-up: a throwaway 300-node model with Conv, BN, Relu, residual Add, pooling and
 * Linear heads — the ops of most first models — parsed, analysed and laid out, so the user's first
 * model runs compiled code (the default example, an MLP, leaves the Conv paths cold). In steps,
 * giving way as soon as a real request arrives, and carrying on from where it stopped when run again.
 */
import { InspectorSession, type Snapshot } from '../../core/session/inspectorSession';
import { readModel, writeModel } from '../../core/onnx/modelIO';
import type { ModelProto } from '../../core/onnx/types';
import { syntheticModel } from '../../examples/synthetic';

export class WarmUp {
  private next = 0;
  private running = false;
  private bytes: Uint8Array | null = null;
  private model: ModelProto | null = null;
  private session: InspectorSession | null = null;
  private snap: Snapshot | null = null;

  private readonly steps: (() => void)[] = [
    () => (this.bytes = writeModel(syntheticModel({ nodes: 300 }))),
    () => (this.model = readModel(this.bytes!)),
    () => {
      this.session = new InspectorSession();
      this.snap = this.session.open('warm.onnx', this.bytes!, () => {}, { model: this.model! });
    },
    () => {
      this.session!.relayout(this.snap!.groups.map((g) => g.id));
      this.bytes = this.model = this.session = this.snap = null;
    },
  ];

  get done(): boolean {
    return this.next >= this.steps.length;
  }

  /** Runs the steps left, each in its own task; stops before a step when `giveWay()` says so. */
  async run(giveWay: () => boolean): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.done) {
        await new Promise((r) => setTimeout(r, 0));
        if (giveWay()) return;
        this.steps[this.next++]();
      }
    } finally {
      this.running = false;
    }
  }
}
