/**
 * Verify on the user's inputs: every model input with a choice of where its values come from
 * (random for floats, typed values, a .npy/.pb file, or an image for an image-shaped float input),
 * the symbolic dims no given input binds, a dropped test data set, another model to verify against,
 * and onnxruntime's own optimizer check. The files are read in the verification worker.
 */
import { useState, type DragEvent } from 'react';
import type { TensorSummary } from '../../core/report';
import { formatShape } from '../../core/graph/dims';
import { imageSlot } from '../../core/tensorFiles/imageTensor';
import { ORT_LEVELS, type OrtLevel } from '../../core/verify/ortCheck';
import { DEFAULT_DIM_VALUE } from '../../core/verify/verifyInputs';
import { filesFromDrop, filesFromList } from '../files';
import { useInspectorStore, useStore } from '../store/useStore';
import { choiceOf, choicesFor, DEFAULT_IMAGE_SIZE, dimFields, emptySetup, IMAGENET_TEXT, isFloat, type InputChoice, type InputChoiceKind } from '../store/verifySetup';

const KIND_TEXT: Record<InputChoiceKind, string> = { random: 'random (seeded)', values: 'typed values', file: '.npy / .pb file', image: 'an image' };

function InputRow({ input, choice, onChoice }: { input: TensorSummary; choice: InputChoice; onChoice: (c: InputChoice) => void }) {
  const slot = imageSlot(input.dtype, input.shape);
  const pickFile = (f: File | undefined) => {
    if (!f) return;
    if (choice.kind === 'file' || choice.kind === 'image') onChoice({ ...choice, file: f });
  };
  return (
    <div className="input-row" data-testid="verify-input" data-input={input.name}>
      <div className="input-head">
        <code>{input.name}</code>
        <span className="muted">
          {input.dtype} {formatShape(input.shape)}
        </span>
        <label>
          <span className="sr-only">{input.name}: values from</span>
          <select
            aria-label={`${input.name}: values from`}
            value={choice.kind}
            onChange={(e) => {
              const k = e.target.value as InputChoiceKind;
              if (k === 'random') onChoice({ kind: 'random' });
              else if (k === 'values') onChoice({ kind: 'values', text: '' });
              else onChoice(k === 'file' ? { kind: 'file', file: null } : { kind: 'image', file: null, height: '', width: '', mean: '', std: '' });
            }}
          >
            {choicesFor(input).map((k) => (
              <option key={k} value={k}>
                {KIND_TEXT[k]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="input-controls">
        {choice.kind === 'random' && <span className="muted small">uniform in [−1, 1), seed 42</span>}
        {choice.kind === 'values' && (
          <input
            type="text"
            className="wide"
            aria-label={`${input.name} values`}
            placeholder={isFloat(input.dtype) ? 'e.g. 0.5, -1, 2' : input.shape?.length === 0 ? 'e.g. 16000' : 'comma-separated whole numbers'}
            value={choice.text}
            onChange={(e) => onChoice({ kind: 'values', text: e.target.value })}
          />
        )}
        {(choice.kind === 'file' || choice.kind === 'image') && (
          <>
            <label className="file-pick">
              <span className="sr-only">{input.name}: {choice.kind === 'file' ? '.npy or .pb file' : 'image file'}</span>
              <input
                type="file"
                aria-label={`${input.name}: ${choice.kind === 'file' ? '.npy or .pb file' : 'image file'}`}
                accept={choice.kind === 'file' ? '.npy,.pb' : 'image/*'}
                data-testid={`input-file-${input.name}`}
                onChange={(e) => pickFile(e.target.files?.[0])}
              />
            </label>
            {!choice.file && <span className="warn small">no file chosen yet</span>}
          </>
        )}
        {choice.kind === 'image' && slot && (
          <>
            {typeof slot.height !== 'number' && (
              <label>
                H{' '}
                <input type="number" min={1} aria-label={`${input.name} image height`} placeholder={String(DEFAULT_IMAGE_SIZE)} value={choice.height} onChange={(e) => onChoice({ ...choice, height: e.target.value })} />
              </label>
            )}
            {typeof slot.width !== 'number' && (
              <label>
                W{' '}
                <input type="number" min={1} aria-label={`${input.name} image width`} placeholder={String(DEFAULT_IMAGE_SIZE)} value={choice.width} onChange={(e) => onChoice({ ...choice, width: e.target.value })} />
              </label>
            )}
            <span className="muted small">
              resized to {typeof slot.height === 'number' ? slot.height : choice.height || DEFAULT_IMAGE_SIZE}×{typeof slot.width === 'number' ? slot.width : choice.width || DEFAULT_IMAGE_SIZE}, RGB in [0, 1], {slot.layout}
            </span>
            <label>
              mean <input type="text" aria-label={`${input.name} mean`} placeholder="none" value={choice.mean} onChange={(e) => onChoice({ ...choice, mean: e.target.value })} />
            </label>
            <label>
              std <input type="text" aria-label={`${input.name} std`} placeholder="none" value={choice.std} onChange={(e) => onChoice({ ...choice, std: e.target.value })} />
            </label>
            <button onClick={() => onChoice({ ...choice, ...IMAGENET_TEXT })}>ImageNet mean/std</button>
          </>
        )}
      </div>
    </div>
  );
}

export function VerifyInputsPanel() {
  const store = useInspectorStore();
  const snapshot = useStore((s) => s.snapshot);
  const raw = useStore((s) => s.verifySetup);
  const openSeq = useStore((s) => s.openSeq);
  const busy = useStore((s) => s.busy !== null);
  const [over, setOver] = useState(false);
  if (!snapshot) return null;
  const setup = raw.openSeq === openSeq ? raw : emptySetup(openSeq);
  const inputs = snapshot.summary.inputs;
  const dims = dimFields(inputs, setup);
  const needsValues = inputs.some((i) => !isFloat(i.dtype));
  const onDrop = (e: DragEvent) => {
    // The panel takes the drop: a test data set, not a model to open.
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    store.setDragging(false);
    void filesFromDrop(e.dataTransfer).then((picked) => store.setTestData(picked));
  };
  return (
    <section className="panel verify-setup" aria-label="Verify inputs" data-testid="verify-setup" onDragOver={(e) => { e.preventDefault(); e.stopPropagation(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={onDrop}>
      <details open={needsValues || undefined}>
        <summary>Verify on your inputs {needsValues && <span className="warn small">(this model has integer or bool inputs: type their values)</span>}</summary>
        {inputs.map((i) => (
          <InputRow key={i.name} input={i} choice={choiceOf(setup, i)} onChoice={(c) => store.setInputChoice(i.name, c)} />
        ))}
        {dims.length > 0 && (
          <div className="input-controls" data-testid="verify-dims">
            {dims.map((d) => (
              <label key={d}>
                <code>{d}</code> ={' '}
                <input type="number" min={1} aria-label={`dimension ${d}`} placeholder={`${DEFAULT_DIM_VALUE} (default)`} value={setup.dims[d] ?? ''} onChange={(e) => store.setDimText(d, e.target.value)} />
              </label>
            ))}
          </div>
        )}
        <div className={`drop-zone ${over ? 'over' : ''}`} data-testid="test-data-zone">
          {setup.testData ? (
            <p className="small" data-testid="test-data-loaded">
              Test data set <code>{setup.testData.name}</code>: {setup.testData.files.map((f) => f.path.split('/').pop()).join(', ')}{' '}
              <button className="linklike" onClick={store.clearTestData}>
                remove
              </button>
            </p>
          ) : (
            <p className="small muted">Drop a test_data_set_N folder (or its input_N.pb / output_N.pb files) here, or</p>
          )}
          <label>
            <span className="sr-only">test data files</span>
            <input type="file" multiple accept=".pb" aria-label="test data files" data-testid="test-data-input" onChange={(e) => store.setTestData(filesFromList(e.target.files))} />
          </label>
        </div>
        <div className="actions">
          <label>
            Compare with another model…{' '}
            <input type="file" accept=".onnx" aria-label="Compare with another model" data-testid="reference-input" onChange={(e) => void store.compareWithFile(e.target.files?.[0] ?? null)} />
          </label>
          {setup.reference && (
            <span className="small" data-testid="reference-name">
              against <code>{setup.reference.name}</code>{' '}
              <button className="linklike" onClick={() => void store.compareWithFile(null)}>
                back to the model as opened
              </button>
            </span>
          )}
        </div>
        <div className="actions">
          <label>
            onnxruntime level{' '}
            <select aria-label="onnxruntime optimization level" value={setup.ortLevel} onChange={(e) => store.setOrtLevel(e.target.value as OrtLevel)}>
              {ORT_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <button onClick={() => void store.checkOrtOptimizer()} disabled={busy} data-testid="ort-check">
            Check onnxruntime’s optimizer on this model
          </button>
        </div>
      </details>
    </section>
  );
}
