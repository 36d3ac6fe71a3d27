/** IPC channel names shared by the Electron main process and the preload. */
export const IPC = {
  request: 'yantra:request',
  event: 'yantra:event',
  status: 'yantra:status',
} as const;
