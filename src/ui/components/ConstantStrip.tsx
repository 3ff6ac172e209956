/**
 * The axis strip of a pair with an Add or Mul constant on the op's output: the output's axes, the
 * op's own axis marked, and under them each constant's dims lined up from the right as
 * broadcasting lines them up — the axes its values vary along marked, in words.
 */
import { formatShape, type Dim } from '../../core/graph/dims';
import { constantAlignments, opName, ownAxis } from '../../core/teaching/constantAxes';
import { featureWord } from '../../core/teaching/pairShapes';
import type { PairView } from '../../core/session/inspectorSession';

const dimText = (d: Dim) => (d === null ? '?' : String(d));

export function ConstantStrip({ pair }: { pair: PairView }) {
  const shape = pair.linear.outputShape;
  const rows = constantAlignments(pair);
  if (shape === null || rows.length === 0) return null;
  const own = ownAxis(pair);
  const op = opName(pair);
  const bnToo = pair.pattern === 'conv-add-bn';
  const varies = (i: number) => rows.some((k) => k.fits && k.varies.includes(i));
  return (
    <>
      <p className="muted small">The {op}’s output, and under it each constant lined up from the last axis, as broadcasting lines it up:</p>
      <div className="axis-strip" data-testid="constant-strip" aria-label={`${op} output ${formatShape(shape)} and ${rows.map((k) => `${k.role} ${formatShape(k.constant.shape)}`).join(', ')}`}>
        {shape.map((d, i) => (
          <div key={i} className={`axis ${i === own ? 'axis-linear' : ''} ${i !== own && varies(i) ? 'axis-off' : ''}`} data-axis={i} data-varies={varies(i)}>
            <div className="axis-index">axis {i}</div>
            <div className="axis-size">{dimText(d)}</div>
            <div className="axis-role">
              {i === own ? (
                <span className="lin">
                  {op} writes its {pair.features ?? '?'} {featureWord(pair)} here{bnToo ? ', and BatchNorm normalizes here' : ''}
                </span>
              ) : (
                <span className="muted">{i === 0 && typeof d === 'number' ? 'batch' : '—'}</span>
              )}
            </div>
            {rows.map((k) => {
              const cell = k.fits ? k.cells[i] : null;
              const here = k.fits && k.varies.includes(i);
              return (
                <div key={k.role} className={`axis-const ${here ? 'varies' : ''}`} data-constant={k.role} data-dim={cell ?? ''}>
                  {k.role} {cell === null ? '—' : cell}
                  {here && <div>{i === own ? 'varies here ✓' : 'varies here ✗'}</div>}
                </div>
              );
            })}
          </div>
        ))}
      </div>
      {rows.some((k) => !k.fits) && <p className="small warn">A constant with more axes than the output would make the output bigger: it cannot be lined up under it.</p>}
    </>
  );
}
