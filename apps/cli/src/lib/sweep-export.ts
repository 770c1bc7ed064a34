/*
 * The export formats live in the contracts, so `ablate sweep export --format csv|json` and the
 * scheduler's `GET /api/sweeps/:id/download` (the dashboard's export buttons) write the same files.
 */
export { configurationsCsv, leaderboardExport, seriesCsv, trialsCsv, type LeaderboardExport } from '@ablate/contracts';
