'use client';

import type { TrialDetail } from '@ablate/contracts';
import { useState } from 'react';
import { formatBytes } from '@/modules/workers/lib/worker-list';
import { checkpointUrl, modelRefusal, modelUrl, offersModel } from '../lib/downloads';
import styles from './trial.module.css';

/** The stored checkpoint, and for CNN templates (once a checkpoint is stored: the model is exported from it) the trained model as TF.js files. */
export function TrialDownloads({ detail, apiUrl }: { detail: TrialDetail; apiUrl: string }) {
  const { trial, checkpoint, sweep } = detail;
  return (
    <div className={styles.downloads} data-testid="trial-downloads">
      {checkpoint ? (
        <a className={styles.button} href={checkpointUrl(apiUrl, trial.id)} download data-testid="checkpoint-link">
          Download checkpoint <span className={styles.muted}>(epoch {checkpoint.step}, {formatBytes(checkpoint.bytes)})</span>
        </a>
      ) : (
        <span className={styles.muted}>No checkpoint in the scheduler&apos;s store (none uploaded yet, or checkpoints go to S3 or a shared folder).</span>
      )}
      {checkpoint && offersModel(sweep.template) && <ModelDownload url={modelUrl(apiUrl, trial.id)} trialId={trial.id} />}
    </div>
  );
}

/** Fetches the model first so a trial without one says why instead of opening an error page. */
function ModelDownload({ url, trialId }: { url: string; trialId: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const download = async () => {
    setState({ busy: true, error: null });
    try {
      const response = await fetch(url, { cache: 'no-store' });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
        return setState({ busy: false, error: modelRefusal(response.status, body) });
      }
      const blob = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = blob;
      link.download = `trial-${trialId}-tfjs-model.tar.gz`;
      link.click();
      URL.revokeObjectURL(blob);
      setState({ busy: false, error: null });
    } catch {
      setState({ busy: false, error: 'Cannot reach the scheduler to download the model; check that it runs, then try again.' });
    }
  };
  return (
    <span className={styles.modelDownload}>
      <button type="button" className={styles.button} onClick={() => void download()} disabled={state.busy} data-testid="model-download">
        {state.busy ? 'Preparing…' : 'Download model (TF.js)'}
      </button>
      {state.error && (
        <span role="alert" className={styles.inlineError} data-testid="model-download-error">
          {state.error}
        </span>
      )}
    </span>
  );
}
