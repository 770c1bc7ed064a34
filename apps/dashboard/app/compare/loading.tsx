/** Shown while the server asks the scheduler for each compared trial and its curves. */
export default function Loading() {
  return (
    <p className="muted" role="status">
      Loading the trials to compare…
    </p>
  );
}
