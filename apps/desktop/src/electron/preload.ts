/**
 * The Electron preload: exposes one function per protocol message, plus event and status
 * subscriptions, through contextBridge. The renderer never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ConnectionStatus, MessageType, SequencedEvent } from '../protocol/messages.js';
import { MESSAGE_TYPES } from '../protocol/validate.js';
import { IPC } from './channels.js';

const requests: Record<string, (params: unknown) => Promise<unknown>> = {};
for (const type of MESSAGE_TYPES) {
  requests[type] = (params: unknown) => ipcRenderer.invoke(IPC.request, type satisfies MessageType, params ?? {});
}

contextBridge.exposeInMainWorld('yantra', {
  ...requests,
  onEvent(listener: (e: SequencedEvent) => void): () => void {
    const handler = (_: IpcRendererEvent, e: SequencedEvent) => listener(e);
    ipcRenderer.on(IPC.event, handler);
    return () => ipcRenderer.off(IPC.event, handler);
  },
  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    const handler = (_: IpcRendererEvent, s: ConnectionStatus) => listener(s);
    ipcRenderer.on(IPC.status, handler);
    return () => ipcRenderer.off(IPC.status, handler);
  },
});
