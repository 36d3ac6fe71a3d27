import type { ProviderErrorKind, ProviderId } from './errors.js';
import type { StopReason, Usage } from './request.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerTransition {
  readonly provider: ProviderId;
  readonly from: BreakerState;
  readonly to: BreakerState;
  /** Clock time (ms) of the transition. */
  readonly at: number;
}

/** Everything observable while a completion runs. Never carries keys or prompts. */
export type LlmEvent =
  | { readonly type: 'attempt_started'; readonly provider: ProviderId; readonly model: string; readonly attempt: number }
  | { readonly type: 'text'; readonly provider: ProviderId; readonly delta: string }
  | { readonly type: 'usage'; readonly provider: ProviderId; readonly usage: Usage }
  | { readonly type: 'stop'; readonly provider: ProviderId; readonly stopReason: StopReason }
  | {
      readonly type: 'attempt_failed';
      readonly provider: ProviderId;
      readonly errorKind: ProviderErrorKind;
      readonly ms: number;
      /** Set when another attempt on the same provider follows after this delay. */
      readonly retryInMs?: number;
    }
  | { readonly type: 'provider_skipped'; readonly provider: ProviderId; readonly reason: 'breaker_open' }
  | { readonly type: 'failover'; readonly from: ProviderId; readonly to: ProviderId }
  | { readonly type: 'cache'; readonly hit: boolean; readonly provider: ProviderId }
  | ({ readonly type: 'breaker' } & BreakerTransition);

export type EventSink = (event: LlmEvent) => void;
