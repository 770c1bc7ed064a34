/** Shown while the server asks the scheduler for the workers. */
export default function Loading() {
  return (
    <p className="muted" role="status">
      Loading the workers…
    </p>
  );
}
