// Performs an HTTP request the core described and hands back status, body and headers. A network
// failure is status 0. A redirect is never followed (it would carry the session to a sign-in
// page or another host): the opaque redirect is reported for the core to read.
export async function perform(request, { timeoutMs = null } = {}) {
  /** @type {RequestInit} */
  const init = {
    method: request.method,
    headers: Object.fromEntries(request.headers),
    body: request.body ?? undefined,
    credentials: request.withCookies ? 'include' : 'omit',
    cache: 'no-store',
    redirect: 'manual',
    // A request that hangs counts as a lost answer (status 0), like a dropped connection.
    signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
  };
  try {
    const response = await fetch(request.url, init);
    /** @type {import('../pkg/crmsync.js').PortAnswer} */
    const answer = {
      status: response.status,
      body: await response.text(),
      redirected: response.type === 'opaqueredirect',
      headers: [...response.headers],
    };
    return answer;
  } catch (err) {
    return { status: 0, body: String(err?.message ?? err) };
  }
}
