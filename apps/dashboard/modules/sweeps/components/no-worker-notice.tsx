import { Notice } from '@/modules/shared/components/notice';

/** Nothing runs without a worker: say how to start one, against this scheduler. */
export function NoWorkerNotice({ apiUrl, waiting }: { apiUrl: string; waiting: boolean }) {
  return (
    <Notice tone="warn" title={waiting ? 'No worker connected: queued trials are waiting' : 'No worker connected'} testId="no-worker">
      <p>Trials run on workers. Start one on any machine that can reach the scheduler:</p>
      <pre>
        <code>node apps/cli/dist/main.js worker --api {apiUrl} --token &quot;$(cat .ablate/worker-token)&quot;</code>
      </pre>
      <p className="muted">
        <code>ablate up</code> starts a local one with the scheduler (<code>ABLATE_LOCAL_WORKERS</code>); add <code>--gpus 0,1</code> or{' '}
        <code>--cpu-slots 8</code> to size it. The <a href="/workers">Workers</a> page lists those connected.
      </p>
    </Notice>
  );
}
