/** Shown while the server asks the scheduler for the trial, its curves and its log. */
export default function Loading() {
  return (
    <p className="muted" role="status">
      Loading the trial…
    </p>
  );
}
