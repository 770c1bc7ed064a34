import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="card" data-testid="not-found">
      <h2>Not found</h2>
      <p>There is no sweep (or page) at this address. It may have been mistyped, or belong to another scheduler.</p>
      <p>
        <Link href="/">Back to all sweeps</Link>
      </p>
    </section>
  );
}
