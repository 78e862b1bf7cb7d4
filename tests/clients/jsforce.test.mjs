// jsforce against the emulator's Salesforce REST API: CRUD, query paging, composite,
// collections, upsert and errors, checked through jsforce's own results and error objects.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { url, reset, session, generateContacts, switchRule, expireSessions, setLimits, refuse } from './emulator.mjs';
import jsforce from 'jsforce';

const version = '66.0';
let conn;

beforeEach(async () => {
  await reset('salesforce');
  conn = new jsforce.Connection({ instanceUrl: url, accessToken: await session('salesforce'), version });
});

test('create, retrieve, update and delete a contact', async () => {
  const created = await conn.sobject('Contact').create({ FirstName: 'Zoë', LastName: "O'Connor-Ødegård", Email: 'zoe@example.org' });
  assert.equal(created.success, true);
  assert.match(created.id, /^003[A-Za-z0-9]{15}$/);
  const record = await conn.sobject('Contact').retrieve(created.id);
  assert.equal(record.Name, "Zoë O'Connor-Ødegård");
  const updated = await conn.sobject('Contact').update({ Id: created.id, Title: 'Geschäftsführerin' });
  assert.deepEqual({ id: updated.id, success: updated.success }, { id: created.id, success: true });
  const deleted = await conn.sobject('Contact').destroy(created.id);
  assert.equal(deleted.success, true);
  await assert.rejects(conn.sobject('Contact').retrieve(created.id), (err) => err.errorCode === 'ENTITY_IS_DELETED');
});

test('query follows nextRecordsUrl across batches', async () => {
  await generateContacts('salesforce', 2500);
  const first = await conn.query('SELECT Id, Name FROM Contact');
  assert.equal(first.done, false);
  assert.equal(first.records.length, 2000);
  assert.ok(first.nextRecordsUrl);
  const rest = await conn.queryMore(first.nextRecordsUrl);
  assert.equal(rest.done, true);
  assert.equal(first.records.length + rest.records.length, first.totalSize);
  const all = await conn.query('SELECT Id FROM Contact').run({ autoFetch: true, maxFetch: 100000 });
  assert.equal(all.records.length, first.totalSize);
});

test('relationship fields and filters with escaped literals', async () => {
  const result = await conn.query("SELECT Name, Account.Name FROM Contact WHERE Account.Name = 'Société Générale d\\'Ingénierie' ORDER BY Name");
  assert.ok(result.totalSize >= 2);
  assert.ok(result.records.every((r) => r.Account.Name === "Société Générale d'Ingénierie"));
});

test('composite with references and allOrNone rollback', async () => {
  const base = `/services/data/v${version}`;
  const ok = await conn.requestPost(`${base}/composite`, {
    allOrNone: true,
    compositeRequest: [
      { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Łódź Nowa Sp. z o.o.' } },
      { method: 'POST', url: `${base}/sobjects/Contact`, referenceId: 'ct', body: { LastName: 'Wiśniewska', AccountId: '@{acct.id}' } },
    ],
  });
  assert.deepEqual(ok.compositeResponse.map((r) => r.httpStatusCode), [201, 201]);
  const halted = await conn.requestPost(`${base}/composite`, {
    allOrNone: true,
    compositeRequest: [
      { method: 'POST', url: `${base}/sobjects/Account`, referenceId: 'a', body: { Name: 'Never Saved' } },
      { method: 'POST', url: `${base}/sobjects/Contact`, referenceId: 'c', body: { FirstName: 'No last name' } },
    ],
  });
  assert.equal(halted.compositeResponse[0].body[0].errorCode, 'PROCESSING_HALTED');
  assert.equal(halted.compositeResponse[1].body[0].errorCode, 'REQUIRED_FIELD_MISSING');
  const check = await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Never Saved'");
  assert.equal(check.totalSize, 0);
});

test('collections create several records, allOrNone rolls back', async () => {
  const results = await conn.sobject('Task').create([
    { Subject: 'Call back', WhoId: '0035g0000000001AAA', TaskSubtype: 'Call', Status: 'Completed' },
    { Subject: 'Send deck', WhoId: '0035g0000000002AAA' },
  ]);
  assert.deepEqual(results.map((r) => r.success), [true, true]);
  const rolled = await conn.sobject('Contact').create([{ LastName: 'Fine' }, { FirstName: 'Broken' }], { allOrNone: true });
  assert.equal(rolled[0].success, false);
  assert.equal(rolled[1].errors[0].statusCode, 'REQUIRED_FIELD_MISSING');
  const check = await conn.query("SELECT COUNT() FROM Contact WHERE LastName = 'Fine'");
  assert.equal(check.totalSize, 0);
});

test('upsert on a custom external id created through the Tooling API', async () => {
  const field = await conn.tooling.sobject('CustomField').create({
    FullName: 'Contact.Crmsync_Key__c',
    Metadata: { label: 'crmsync key', type: 'Text', length: 64, externalId: true },
  });
  assert.equal(field.success, true);
  const described = await conn.sobject('Contact').describe();
  assert.ok(described.fields.some((f) => f.name === 'Crmsync_Key__c' && f.externalId));
  const first = await conn.sobject('Contact').upsert({ LastName: 'Kowalczyk', Crmsync_Key__c: 'li-42' }, 'Crmsync_Key__c');
  assert.equal(first.success, true);
  assert.equal(first.created, true);
  const second = await conn.sobject('Contact').upsert({ Title: 'CTO', Crmsync_Key__c: 'li-42' }, 'Crmsync_Key__c');
  assert.equal(second.created, false);
  assert.equal(second.id, first.id);
});

test('describe lists picklist values', async () => {
  const opp = await conn.sobject('Opportunity').describe();
  const stage = opp.fields.find((f) => f.name === 'StageName');
  assert.ok(stage.picklistValues.some((v) => v.value === 'Closed Won'));
  const task = await conn.sobject('Task').describe();
  assert.ok(task.fields.find((f) => f.name === 'TaskSubtype').picklistValues.some((v) => v.value === 'Call'));
});

test('search finds multilingual names', async () => {
  const found = await conn.search('FIND {"Weiß"} IN NAME FIELDS RETURNING Contact(Id, Name)');
  assert.ok(found.searchRecords.length > 0);
  assert.ok(found.searchRecords.every((r) => r.Name.includes('Weiß')));
});

test('errors surface as jsforce errors with the real codes', async () => {
  await assert.rejects(conn.query('SELECT Id FROM Contact WHERE'), (err) => err.errorCode === 'MALFORMED_QUERY');
  await assert.rejects(conn.query('SELECT Nope__c FROM Contact'), (err) => err.errorCode === 'INVALID_FIELD');
  await assert.rejects(conn.sobject('Contact').create({ FirstName: 'x' }), (err) => err.errorCode === 'REQUIRED_FIELD_MISSING');
  await switchRule('Contact_requires_Email', true);
  await assert.rejects(conn.sobject('Contact').create({ LastName: 'NoMail' }), (err) => err.errorCode === 'FIELD_CUSTOM_VALIDATION_EXCEPTION' && err.message === 'Contact requires an email address.');
  await switchRule('Standard_Contact_Duplicate_Rule', true);
  await assert.rejects(conn.sobject('Contact').create({ LastName: 'Lovelace', Email: 'ada.lovelace@acme.com' }), (err) => err.errorCode === 'DUPLICATES_DETECTED');
  await expireSessions();
  await assert.rejects(conn.query('SELECT Id FROM Contact LIMIT 1'), (err) => err.errorCode === 'INVALID_SESSION_ID');
});

// What crmsync reads of an org's limits and refusals (CRM-APIS A2, A8, A19), as jsforce reads it.
test('the API allowance, query errors and refused sessions as jsforce sees them', async () => {
  await conn.query('SELECT Id FROM Contact LIMIT 1');
  assert.equal(conn.limitInfo.apiUsage.limit, 15000);
  await setLimits('salesforceAppQuota=250');
  const before = conn.limitInfo.apiUsage.used;
  await conn.query('SELECT Id FROM Contact LIMIT 1');
  assert.equal(conn.limitInfo.apiUsage.used, before + 1, 'api-usage is read beside per-app-api-usage');
  await assert.rejects(conn.query('SELECT Nope__c FROM Contact'),
    (err) => err.errorCode === 'INVALID_FIELD' && err.message.startsWith('\nSELECT Nope__c FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column'));
  await setLimits('salesforceDaily=1&salesforceUsed=1');
  await assert.rejects(conn.query('SELECT Id FROM Contact LIMIT 1'),
    (err) => err.errorCode === 'REQUEST_LIMIT_EXCEEDED' && err.message === 'TotalRequests Limit exceeded.');
  await setLimits('salesforceDaily=15000&salesforceUsed=0');
  await refuse({ refusal: 'apiDisabledForUser' });
  await assert.rejects(conn.query('SELECT Id FROM Contact LIMIT 1'), (err) => err.errorCode === 'API_CURRENTLY_DISABLED');
});

// The admin side (docs/org-admin.md): stages, seats through a permission set with a custom
// permission, the running user's UserSetupEntityAccess, and a non-admin's refusal.
test('admin: stages in order, and a seat as jsforce sees it', async () => {
  const stages = await conn.query('SELECT ApiName, SortOrder, IsClosed, IsWon FROM OpportunityStage WHERE IsActive = true ORDER BY SortOrder');
  assert.equal(stages.records[0].ApiName, 'Prospecting');
  assert.ok(stages.records.some((s) => s.IsWon));
  const describe = await conn.sobject('Opportunity').describe();
  assert.ok(describe.fields.some((f) => f.name === 'Amount' && f.type === 'currency'));

  const permission = await conn.tooling.sobject('CustomPermission').create({ FullName: 'crmsync_Seat', Metadata: { label: 'crmsync seat' } });
  assert.equal(permission.success, true);
  const set = await conn.sobject('PermissionSet').create({ Name: 'crmsync_Seat', Label: 'crmsync seat' });
  await conn.sobject('SetupEntityAccess').create({ ParentId: set.id, SetupEntityId: permission.id });
  const [rep] = (await conn.query("SELECT Id FROM User WHERE Username = 'rep@acme.com'")).records;
  await conn.sobject('PermissionSetAssignment').create({ AssigneeId: rep.Id, PermissionSetId: set.id });
  await assert.rejects(
    conn.sobject('PermissionSetAssignment').create({ AssigneeId: rep.Id, PermissionSetId: set.id }),
    (err) => err.errorCode === 'DUPLICATE_VALUE',
  );

  const asRep = new jsforce.Connection({ instanceUrl: url, accessToken: await session('salesforce', 'rep@acme.com'), version });
  const mine = await asRep.query("SELECT DeveloperName FROM UserSetupEntityAccess WHERE DeveloperName = 'crmsync_Seat'");
  assert.equal(mine.totalSize, 1);
  const adminsOwn = await conn.query("SELECT DeveloperName FROM UserSetupEntityAccess WHERE DeveloperName = 'crmsync_Seat'");
  assert.equal(adminsOwn.totalSize, 0, 'the admin holds no seat until assigned one');
});

test('admin: a non-admin is refused setup writes with the real error', async () => {
  const asRep = new jsforce.Connection({ instanceUrl: url, accessToken: await session('salesforce', 'rep@acme.com'), version });
  await assert.rejects(
    asRep.sobject('PermissionSet').create({ Name: 'x', Label: 'x' }),
    (err) => err.errorCode === 'INSUFFICIENT_ACCESS_OR_READONLY',
  );
  await assert.rejects(
    asRep.tooling.sobject('CustomObject').create({ FullName: 'x__c', Metadata: { label: 'x', pluralLabel: 'x' } }),
    (err) => err.errorCode === 'INSUFFICIENT_ACCESS',
  );
  await assert.rejects(asRep.query('SELECT Id FROM PermissionSetAssignment'), (err) => err.errorCode === 'INVALID_TYPE');
});
