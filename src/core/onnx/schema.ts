/** Field numbers of onnx.proto (IR version 10), for the codec in protobuf.ts. */
import type { FieldSpec, MessageSpec } from './protobuf';

function spec(name: string, fields: FieldSpec[]): MessageSpec {
  return { name, fields };
}

export const StringStringEntrySpec = spec('StringStringEntryProto', [
  { no: 1, name: 'key', kind: 'string' },
  { no: 2, name: 'value', kind: 'string' },
]);

export const OperatorSetIdSpec = spec('OperatorSetIdProto', [
  { no: 1, name: 'domain', kind: 'string' },
  { no: 2, name: 'version', kind: 'int64' },
]);

export const TensorSpec: MessageSpec = spec('TensorProto', [
  { no: 1, name: 'dims', kind: 'int64', repeated: true, shared: true },
  { no: 2, name: 'dataType', kind: 'int32' },
  { no: 4, name: 'floatData', kind: 'float', repeated: true, omitEmpty: true, packed: true },
  { no: 5, name: 'int32Data', kind: 'int32', repeated: true, omitEmpty: true, packed: true },
  { no: 6, name: 'stringData', kind: 'bytes', repeated: true, omitEmpty: true },
  { no: 7, name: 'int64Data', kind: 'int64', repeated: true, omitEmpty: true, packed: true },
  { no: 8, name: 'name', kind: 'string' },
  { no: 9, name: 'rawData', kind: 'bytes', lazy: true },
  { no: 10, name: 'doubleData', kind: 'double', repeated: true, omitEmpty: true, packed: true },
  { no: 11, name: 'uint64Data', kind: 'uint64', repeated: true, omitEmpty: true, packed: true },
  { no: 12, name: 'docString', kind: 'string' },
  { no: 13, name: 'externalData', kind: 'message', repeated: true, omitEmpty: true, msg: () => StringStringEntrySpec },
  { no: 14, name: 'dataLocation', kind: 'int32' },
  { no: 16, name: 'metadataProps', kind: 'message', repeated: true, omitEmpty: true, msg: () => StringStringEntrySpec },
]);

export const SparseTensorSpec: MessageSpec = spec('SparseTensorProto', [
  { no: 1, name: 'values', kind: 'message', msg: () => TensorSpec },
  { no: 2, name: 'indices', kind: 'message', msg: () => TensorSpec },
  { no: 3, name: 'dims', kind: 'int64', repeated: true },
]);

export const DimensionSpec = spec('TensorShapeProto.Dimension', [
  { no: 1, name: 'dimValue', kind: 'int64' },
  { no: 2, name: 'dimParam', kind: 'string' },
  { no: 3, name: 'denotation', kind: 'string' },
]);

export const TensorShapeSpec = spec('TensorShapeProto', [
  { no: 1, name: 'dim', kind: 'message', repeated: true, msg: () => DimensionSpec },
]);

const TypeTensorSpec = spec('TypeProto.Tensor', [
  { no: 1, name: 'elemType', kind: 'int32' },
  { no: 2, name: 'shape', kind: 'message', msg: () => TensorShapeSpec },
]);

export const TypeSpec: MessageSpec = spec('TypeProto', [
  { no: 1, name: 'tensorType', kind: 'message', msg: () => TypeTensorSpec },
  {
    no: 4,
    name: 'sequenceType',
    kind: 'message',
    msg: () => spec('TypeProto.Sequence', [{ no: 1, name: 'elemType', kind: 'message', msg: () => TypeSpec }]),
  },
  {
    no: 5,
    name: 'mapType',
    kind: 'message',
    msg: () =>
      spec('TypeProto.Map', [
        { no: 1, name: 'keyType', kind: 'int32' },
        { no: 2, name: 'valueType', kind: 'message', msg: () => TypeSpec },
      ]),
  },
  { no: 6, name: 'denotation', kind: 'string' },
  { no: 8, name: 'sparseTensorType', kind: 'message', msg: () => TypeTensorSpec },
  {
    no: 9,
    name: 'optionalType',
    kind: 'message',
    msg: () => spec('TypeProto.Optional', [{ no: 1, name: 'elemType', kind: 'message', msg: () => TypeSpec }]),
  },
]);
// The nested specs above are created per access; cache them so byNo maps are built once.
for (const f of TypeSpec.fields) {
  if (f.msg) {
    const made = f.msg();
    f.msg = () => made;
  }
}

export const ValueInfoSpec = spec('ValueInfoProto', [
  { no: 1, name: 'name', kind: 'string' },
  { no: 2, name: 'type', kind: 'message', msg: () => TypeSpec },
  { no: 3, name: 'docString', kind: 'string' },
  { no: 4, name: 'metadataProps', kind: 'message', repeated: true, omitEmpty: true, msg: () => StringStringEntrySpec },
]);

export const AttributeSpec: MessageSpec = spec('AttributeProto', [
  { no: 1, name: 'name', kind: 'string', vocabulary: true },
  { no: 2, name: 'f', kind: 'float' },
  { no: 3, name: 'i', kind: 'int64' },
  { no: 4, name: 's', kind: 'bytes' },
  { no: 5, name: 't', kind: 'message', msg: () => TensorSpec },
  { no: 6, name: 'g', kind: 'message', msg: () => GraphSpec },
  { no: 7, name: 'floats', kind: 'float', repeated: true, omitEmpty: true },
  { no: 8, name: 'ints', kind: 'int64', repeated: true, omitEmpty: true, shared: true },
  { no: 9, name: 'strings', kind: 'bytes', repeated: true, omitEmpty: true },
  { no: 10, name: 'tensors', kind: 'message', repeated: true, omitEmpty: true, msg: () => TensorSpec },
  { no: 11, name: 'graphs', kind: 'message', repeated: true, omitEmpty: true, msg: () => GraphSpec },
  { no: 13, name: 'docString', kind: 'string' },
  { no: 14, name: 'tp', kind: 'message', msg: () => TypeSpec },
  { no: 15, name: 'typeProtos', kind: 'message', repeated: true, omitEmpty: true, msg: () => TypeSpec },
  { no: 20, name: 'type', kind: 'int32' },
  { no: 21, name: 'refAttrName', kind: 'string' },
  { no: 22, name: 'sparseTensor', kind: 'message', msg: () => SparseTensorSpec },
  { no: 23, name: 'sparseTensors', kind: 'message', repeated: true, omitEmpty: true, msg: () => SparseTensorSpec },
]);

export const NodeSpec: MessageSpec = spec('NodeProto', [
  { no: 1, name: 'input', kind: 'string', repeated: true },
  { no: 2, name: 'output', kind: 'string', repeated: true },
  { no: 3, name: 'name', kind: 'string' },
  { no: 4, name: 'opType', kind: 'string', vocabulary: true },
  { no: 5, name: 'attribute', kind: 'message', repeated: true, msg: () => AttributeSpec },
  { no: 6, name: 'docString', kind: 'string' },
  { no: 7, name: 'domain', kind: 'string', vocabulary: true },
  { no: 8, name: 'overload', kind: 'string' },
  { no: 9, name: 'metadataProps', kind: 'message', repeated: true, omitEmpty: true, msg: () => StringStringEntrySpec },
]);

export const GraphSpec: MessageSpec = spec('GraphProto', [
  { no: 1, name: 'node', kind: 'message', repeated: true, msg: () => NodeSpec },
  { no: 2, name: 'name', kind: 'string' },
  { no: 5, name: 'initializer', kind: 'message', repeated: true, msg: () => TensorSpec },
  { no: 10, name: 'docString', kind: 'string' },
  { no: 11, name: 'input', kind: 'message', repeated: true, msg: () => ValueInfoSpec },
  { no: 12, name: 'output', kind: 'message', repeated: true, msg: () => ValueInfoSpec },
  { no: 13, name: 'valueInfo', kind: 'message', repeated: true, msg: () => ValueInfoSpec },
  { no: 15, name: 'sparseInitializer', kind: 'message', repeated: true, msg: () => SparseTensorSpec },
  { no: 16, name: 'metadataProps', kind: 'message', repeated: true, msg: () => StringStringEntrySpec },
]);

export const TrainingInfoSpec = spec('TrainingInfoProto', [
  { no: 1, name: 'initialization', kind: 'message', msg: () => GraphSpec },
  { no: 2, name: 'algorithm', kind: 'message', msg: () => GraphSpec },
  { no: 3, name: 'initializationBinding', kind: 'message', repeated: true, msg: () => StringStringEntrySpec },
  { no: 4, name: 'updateBinding', kind: 'message', repeated: true, msg: () => StringStringEntrySpec },
]);

export const FunctionSpec = spec('FunctionProto', [
  { no: 1, name: 'name', kind: 'string' },
  { no: 4, name: 'input', kind: 'string', repeated: true },
  { no: 5, name: 'output', kind: 'string', repeated: true },
  { no: 6, name: 'attribute', kind: 'string', repeated: true },
  { no: 7, name: 'node', kind: 'message', repeated: true, msg: () => NodeSpec },
  { no: 8, name: 'docString', kind: 'string' },
  { no: 9, name: 'opsetImport', kind: 'message', repeated: true, msg: () => OperatorSetIdSpec },
  { no: 10, name: 'domain', kind: 'string' },
  { no: 11, name: 'attributeProto', kind: 'message', repeated: true, msg: () => AttributeSpec },
  { no: 12, name: 'valueInfo', kind: 'message', repeated: true, msg: () => ValueInfoSpec },
  { no: 13, name: 'overload', kind: 'string' },
  { no: 14, name: 'metadataProps', kind: 'message', repeated: true, msg: () => StringStringEntrySpec },
]);

export const ModelSpec = spec('ModelProto', [
  { no: 1, name: 'irVersion', kind: 'int64' },
  { no: 2, name: 'producerName', kind: 'string' },
  { no: 3, name: 'producerVersion', kind: 'string' },
  { no: 4, name: 'domain', kind: 'string' },
  { no: 5, name: 'modelVersion', kind: 'int64' },
  { no: 6, name: 'docString', kind: 'string' },
  { no: 7, name: 'graph', kind: 'message', msg: () => GraphSpec },
  { no: 8, name: 'opsetImport', kind: 'message', repeated: true, msg: () => OperatorSetIdSpec },
  { no: 14, name: 'metadataProps', kind: 'message', repeated: true, msg: () => StringStringEntrySpec },
  { no: 20, name: 'trainingInfo', kind: 'message', repeated: true, msg: () => TrainingInfoSpec },
  { no: 25, name: 'functions', kind: 'message', repeated: true, msg: () => FunctionSpec },
]);
