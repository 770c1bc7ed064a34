/** The scheduler's route for a trial's latest checkpoint as a `.tar.gz` attachment. */
export function checkpointUrl(apiUrl: string, trialId: string): string {
  return `${apiUrl.replace(/\/$/, '')}/api/trials/${encodeURIComponent(trialId)}/checkpoint/download`;
}

/** The scheduler's route for a trial's trained model as TF.js files (`model.json` + weights). */
export function modelUrl(apiUrl: string, trialId: string): string {
  return `${apiUrl.replace(/\/$/, '')}/api/trials/${encodeURIComponent(trialId)}/model`;
}

/** Templates whose checkpoint the scheduler exports as a TF.js layers model (`GET /api/trials/:id/model`). */
const MODEL_TEMPLATES = new Set(['mnist-cnn', 'cifar10-cnn']);

/** Whether the trial page offers "Download model (TF.js)" for a template. */
export function offersModel(template: string): boolean {
  return MODEL_TEMPLATES.has(template);
}
