export { startFakeLlmServer } from './testing/fake-server.js';
export type {
  FakeLlmServer,
  FakeLlmServerOptions,
  FakeStep,
  FakeReply,
  FakeFaultStep,
  FakeFault,
  FakeRequest,
} from './testing/fake-server.js';
