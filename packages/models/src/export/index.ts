export { EXPORTABLE_TEMPLATES, buildExportable, exportCheckpointModel } from './export-checkpoint.js';
export { writeModelExport, type ModelExportInfo } from './model-export.js';
