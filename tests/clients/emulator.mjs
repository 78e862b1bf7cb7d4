// Shared by the client checks: where the emulator is, trust in its CA, and its control API.
// EMULATOR_URL (e.g. https://127.0.0.1:PORT) and EMULATOR_CA (the CA PEM) come from the
// environment, as `cargo xtask test` sets them (see docs/emulator.md).
import fs from 'node:fs';
import tls from 'node:tls';

export const url = (process.env.EMULATOR_URL || '').replace(/\/$/, '');
if (!url) throw new Error('EMULATOR_URL is not set (see docs/emulator.md)');

// Node 20 reads NODE_EXTRA_CA_CERTS only at start and has no API to add a CA later, so trust
// the emulator's CA for every TLS connection of this process (undici and https alike).
if (process.env.EMULATOR_CA) {
  const ca = [...tls.rootCertificates, fs.readFileSync(process.env.EMULATOR_CA, 'utf8')];
  const connect = tls.connect;
  tls.connect = function (...args) {
    if (args[0] && typeof args[0] === 'object') args[0] = { ...args[0], ca };
    return connect.apply(this, args);
  };
}

async function control(method, path, body) {
  const init = body === undefined ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(`${url}/_emulator${path}`, init);
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** Reseeds one CRM's demo org (the other CRM is left alone). */
export const reset = (crm) => control('POST', `/reset?seed=demo&crm=${crm}`);

/** An API session for the demo admin, or for `user` (e.g. the non-admin `rep@acme.com`):
 * a My Domain sid or a Dataverse Bearer token. */
export const session = async (crm, user) => {
  const as = user ? `&user=${encodeURIComponent(user)}` : '';
  return (await control('POST', `/sessions?crm=${crm}${as}`)).token;
};

export const generateContacts = (crm, count) => control('POST', `/generate/contacts?crm=${crm}&count=${count}`);

export const switchRule = (name, active) => control('POST', `/rules/${name}?active=${active}`);

export const expireSessions = () => control('POST', '/sessions/expire');

export const records = (crm, object) => control('GET', `/records/${crm}/${object}`);

/** Sets request budgets, e.g. `salesforceDaily=1&salesforceUsed=1` (docs/emulator.md). */
export const setLimits = (query) => control('POST', `/limits?${query}`);

/** Refuses API access as an org would: `{refusal: 'apiDisabledForUser', user?}`. */
export const refuse = (rule) => control('POST', '/refusals', rule);
