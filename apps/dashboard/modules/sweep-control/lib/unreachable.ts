/**
 * A server action that never answered (the dashboard's server is down or the network dropped):
 * a failed result the control shows, instead of an exception that would replace the page with the
 * error boundary.
 */
export function unreachable(error: unknown): { ok: false; message: string } {
  const why = error instanceof Error ? error.message : String(error);
  return { ok: false, message: `The dashboard's server did not answer (${why}); check the connection and try again.` };
}
