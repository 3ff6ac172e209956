/**
 * The playground's form: the student builds the case — input shape, the Linear, what stands between
 * it and BatchNorm, BN's channels, or the bias and BatchNorm as exporters write them (an Add of a
 * constant of any broadcast shape, a Mul + Add) — and the graph, verdict and explanation follow as they type. The
 * URL holds the form, so the address bar is the exercise link.
 */
import { useState } from 'react';
import type { BetweenKind, LinearKind, NormKind, PlaygroundForm } from '../../examples/playground';
import { useInspectorStore, useStore } from '../store/useStore';

export function PlaygroundPanel() {
  const store = useInspectorStore();
  const play = useStore((s) => s.playground);
  const [copied, setCopied] = useState(false);
  if (!play) return null;
  const { form, problems, channelsHint } = play;
  const field = <K extends keyof PlaygroundForm>(k: K) => (e: { target: { value: string } }) => store.setPlaygroundField(k, e.target.value as PlaygroundForm[K]);
  const copy = () => {
    void navigator.clipboard?.writeText(window.location.href).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <section className="panel playground-panel" aria-label="Playground" data-testid="playground">
      <div className="panel-head">
        <h2>★ Playground</h2>
        <button className="linklike" onClick={store.closePlayground}>
          Close
        </button>
      </div>
      <p className="small muted">Build a Linear → BatchNorm case (or BatchNorm as a Mul + Add); the graph, the verdict and the explanation follow as you type.</p>
      <form className="playground-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          Input shape
          <input value={form.input} onChange={field('input')} data-testid="play-input" spellCheck={false} aria-describedby="play-input-hint" />
          <span id="play-input-hint" className="hint">
            dims, comma-separated; names such as <code>batch</code> stay symbolic; the last is the Linear’s in-features
          </span>
        </label>
        <label>
          Linear
          <select value={form.linear} onChange={field('linear')} data-testid="play-linear">
            {(['Gemm', 'MatMul', 'MatMul+Add'] as LinearKind[]).map((k) => (
              <option key={k} value={k}>
                {k === 'MatMul+Add' ? 'MatMul + Add (bias)' : k}
              </option>
            ))}
          </select>
        </label>
        <label>
          Out-features
          <input value={form.out} onChange={field('out')} inputMode="numeric" data-testid="play-out" />
        </label>
        {form.linear === 'MatMul+Add' && (
          <label>
            Bias Add’s constant shape
            <input value={form.bias} onChange={field('bias')} placeholder={`[${form.out}]: one per feature`} data-testid="play-bias" spellCheck={false} aria-describedby="play-bias-hint" />
            <span id="play-bias-hint" className="hint">
              lined up with the output from the last axis, as broadcasting does: <code>1, {form.out}</code> is per feature, <code>4, 1</code> per row
            </span>
          </label>
        )}
        <fieldset>
          <legend>Between the Linear and BatchNorm</legend>
          {(['none', 'transpose', 'reshape'] as BetweenKind[]).map((b) => (
            <label key={b} className="inline">
              <input type="radio" name="between" value={b} checked={form.between === b} onChange={field('between')} data-testid={`play-between-${b}`} />
              {b === 'none' ? 'nothing' : b === 'transpose' ? 'Transpose' : 'Reshape'}
            </label>
          ))}
          {form.between === 'transpose' && (
            <label>
              perm
              <input value={form.perm} onChange={field('perm')} data-testid="play-perm" spellCheck={false} />
            </label>
          )}
          {form.between === 'reshape' && (
            <label>
              to shape
              <input value={form.reshape} onChange={field('reshape')} data-testid="play-reshape" spellCheck={false} />
              <span className="hint">-1 for the rest, 0 to copy a dim</span>
            </label>
          )}
        </fieldset>
        <fieldset>
          <legend>BatchNorm as</legend>
          {(['batchnorm', 'mul-add'] as NormKind[]).map((n) => (
            <label key={n} className="inline">
              <input type="radio" name="norm" value={n} checked={form.norm === n} onChange={field('norm')} data-testid={`play-norm-${n}`} />
              {n === 'batchnorm' ? 'BatchNormalization' : 'Mul + Add (as exporters decompose it)'}
            </label>
          ))}
          {form.norm === 'mul-add' && (
            <label>
              Mul’s and Add’s constant shape
              <input value={form.affine} onChange={field('affine')} placeholder={`[${form.out}]: one per feature`} data-testid="play-affine" spellCheck={false} />
              <span className="hint">lined up with the Linear’s output from the last axis</span>
            </label>
          )}
        </fieldset>
        {form.norm === 'batchnorm' && (
        <label>
          BatchNorm channels
          <input value={form.channels} onChange={field('channels')} inputMode="numeric" placeholder="follows axis 1" data-testid="play-channels" aria-describedby="play-channels-hint" />
          <span id="play-channels-hint" className="hint" data-testid="play-channels-hint">
            {channelsHint}
          </span>
        </label>
        )}
      </form>
      {problems.length > 0 && (
        // The alert is a wrapper: role="alert" on the list itself would take away its list semantics.
        <div role="alert" data-testid="play-problems">
          <ul className="error-text small">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="lesson-nav">
        <button onClick={copy} data-testid="play-share">
          Copy exercise link
        </button>
        {copied && (
          <span className="small ok-text" role="status">
            Link copied
          </span>
        )}
        <button onClick={() => void store.download()} disabled={problems.length > 0} data-testid="play-download">
          Download .onnx
        </button>
      </div>
    </section>
  );
}
