/** Test helper: fold, check the graph is well formed, and compare with onnxruntime-web. */
import { expect } from 'vitest';
import { writeModel } from '../onnx/modelIO';
import type { ModelProto } from '../onnx/types';
import { fuse, type FuseOptions } from '../rewrite/fuse';
import { modelProblems } from '../rewrite/validate';
import { verify } from '../verify/verify';

export async function fuseAndVerify(model: ModelProto, opts: Parameters<typeof verify>[2] = {}, fuseOpts: FuseOptions = {}) {
  const res = fuse(model, fuseOpts);
  expect(modelProblems(res.model)).toEqual([]);
  const report = await verify(writeModel(model), writeModel(res.model), { runs: 1, ...opts });
  return { res, report };
}
