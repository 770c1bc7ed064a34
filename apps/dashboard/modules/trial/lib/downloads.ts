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

/** What the page says when the model download is refused: the scheduler's message, or what a bare status means. */
export function modelRefusal(status: number, body: { code?: string; message?: string } | null): string {
  if (body?.code === 'route_not_found') return 'Cannot download the model: this scheduler has no model export (GET /api/trials/:id/model); update it, or use the checkpoint.';
  const reason = body?.message?.replace(/\.+$/, '') ?? (status === 404 ? 'there is no model for this trial' : `the scheduler answered ${status}`);
  return `Cannot download the model: ${reason}.`;
}
