import nock from "nock";

// Strict HTTP: the network is off (loopback stays on for the app's own HTTP
// tests), every request must be expected, and every expectation must be used.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  nock.abortPendingRequests();
  if (pending.length > 0) throw new Error(`unused HTTP mocks: ${pending.join(", ")}`);
});
