'use client';

/** Last resort for an unexpected render error; scheduler outages are handled by the pages. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="card" role="alert">
      <h2>Something went wrong</h2>
      <p>The dashboard could not show this page.{error.digest ? ` (reference ${error.digest})` : ''}</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
