// dynamics-web-api against the emulator's Dataverse Web API: CRUD, upsert, paging with
// nextLink, filters with escaped literals, expand, lookups, and errors.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { url, reset, session, generateContacts, setLimits, refuse } from './emulator.mjs';
import { DynamicsWebApi } from 'dynamics-web-api';

const ADA = '00000002-0000-4000-8000-000000000001';
const ACME = '00000001-0000-4000-8000-000000000001';
let api;

beforeEach(async () => {
  await reset('dynamics');
  const token = await session('dynamics');
  api = new DynamicsWebApi({ serverUrl: `${url}/`, dataApi: { version: '9.2' }, onTokenRefresh: async () => token });
});

test('create, retrieve, update, delete', async () => {
  const id = await api.create({
    collection: 'contacts',
    data: { firstname: 'Zoë', lastname: "O'Neil", 'parentcustomerid_account@odata.bind': `/accounts(${ACME})` },
  });
  assert.match(id, /^[0-9a-f-]{36}$/);
  const record = await api.retrieve({ collection: 'contacts', key: id, select: ['fullname', '_parentcustomerid_value'] });
  assert.equal(record.fullname, "Zoë O'Neil");
  assert.equal(record._parentcustomerid_value, ACME);
  await api.update({ collection: 'contacts', key: id, data: { jobtitle: 'Directrice' } });
  const again = await api.retrieve({ collection: 'contacts', key: id, select: ['jobtitle'] });
  assert.equal(again.jobtitle, 'Directrice');
  assert.equal(await api.deleteRecord({ collection: 'contacts', key: id }), true);
  await assert.rejects(api.retrieve({ collection: 'contacts', key: id }), (err) => err.status === 404);
});

test('create with return=representation and upsert', async () => {
  const made = await api.create({ collection: 'contacts', data: { lastname: 'Şahin' }, returnRepresentation: true, select: ['fullname'] });
  assert.equal(made.fullname, 'Şahin');
  const key = 'abcdef01-2345-4678-89ab-cdef01234567';
  await api.upsert({ collection: 'contacts', key, data: { lastname: 'Upserted' } });
  const row = await api.retrieve({ collection: 'contacts', key, select: ['lastname'] });
  assert.equal(row.lastname, 'Upserted');
  await assert.rejects(
    api.update({ collection: 'contacts', key: 'abcdef01-2345-4678-89ab-000000000000', data: { lastname: 'x' } }),
    (err) => err.status === 404,
  );
});

test('paging follows absolute nextLinks', async () => {
  await generateContacts('dynamics', 120);
  const page = await api.retrieveMultiple({ collection: 'contacts', select: ['fullname'], maxPageSize: 100 });
  assert.equal(page.value.length, 100);
  assert.ok(page.oDataNextLink.startsWith('https://'));
  const all = await api.retrieveAll({ collection: 'contacts', select: ['fullname'], maxPageSize: 100 });
  const counted = await api.count({ collection: 'contacts' });
  assert.equal(all.value.length, counted);
  assert.ok(counted > 300);
});

test('filters with doubled quotes and bracketed wildcards', async () => {
  await api.create({ collection: 'contacts', data: { lastname: "D'Angelo 100%" } });
  const exact = await api.retrieveMultiple({ collection: 'contacts', select: ['lastname'], filter: "lastname eq 'D''Angelo 100%'" });
  assert.deepEqual(exact.value.map((r) => r.lastname), ["D'Angelo 100%"]);
  const contains = await api.retrieveMultiple({ collection: 'contacts', select: ['lastname'], filter: "contains(lastname,'100[%]')" });
  assert.equal(contains.value.length, 1);
});

test('expand a single-valued navigation property', async () => {
  const opps = await api.retrieveMultiple({ collection: 'opportunities', select: ['name'], expand: [{ property: 'parentaccountid', select: ['name'] }], top: 1 });
  assert.equal(opps.value[0].parentaccountid.name, 'Acme Corporation');
});

test('a phone call with regarding contact and activity parties', async () => {
  const who = await api.callFunction('WhoAmI');
  const id = await api.create({
    collection: 'phonecalls',
    data: {
      subject: 'Intro call', phonenumber: '+49 30 123456', directioncode: true,
      'regardingobjectid_contact_phonecall@odata.bind': `/contacts(${ADA})`,
      phonecall_activity_parties: [
        { 'partyid_systemuser@odata.bind': `/systemusers(${who.UserId})`, participationtypemask: 1 },
        { 'partyid_contact@odata.bind': `/contacts(${ADA})`, participationtypemask: 2 },
      ],
    },
  });
  const call = await api.retrieve({ collection: 'phonecalls', key: id, select: ['subject', '_regardingobjectid_value'] });
  assert.equal(call._regardingobjectid_value, ADA);
});

test('errors carry the OData error envelope', async () => {
  await assert.rejects(
    api.retrieveMultiple({ collection: 'contacts', select: ['nope'] }),
    (err) => err.status === 400 && /Could not find a property named 'nope'/.test(err.message),
  );
  await assert.rejects(
    api.create({ collection: 'tasks', data: { subject: 'x', 'regardingobjectid_contact@odata.bind': `/contacts(${ADA})` } }),
    (err) => err.status === 400,
  );
});

// Service protection and refused users (CRM-APIS B9, A19), as dynamics-web-api reads them.
test('a throttled or refused user gets 429 with Retry-After, or 403 not a member', async () => {
  await setLimits('dynamicsPerWindow=1');
  await api.retrieveMultiple({ collection: 'accounts', select: ['name'], top: 1 });
  await assert.rejects(api.retrieveMultiple({ collection: 'accounts', select: ['name'], top: 1 }),
    (err) => err.status === 429 && err.code === '0x80072322' && Number(err.headers['retry-after']) >= 1);
  await setLimits('dynamicsPerWindow=6000');
  await refuse({ refusal: 'notMember' });
  await assert.rejects(api.retrieveMultiple({ collection: 'accounts', select: ['name'], top: 1 }),
    (err) => err.status === 403 && err.code === '0x80072560' && /not a member of the organization/.test(err.message));
});

test('$batch with a change set, and a failing change set rolls back', async () => {
  api.startBatch();
  api.create({ collection: 'contacts', data: { lastname: 'Batch One' } });
  api.create({ collection: 'contacts', data: { lastname: 'Batch Two' } });
  const results = await api.executeBatch();
  assert.equal(results.length, 2);
  assert.ok(results.every((id) => /^[0-9a-f-]{36}$/.test(id)), JSON.stringify(results));
  const found = await api.retrieveMultiple({ collection: 'contacts', select: ['lastname'], filter: "startswith(lastname,'Batch ')" });
  assert.equal(found.value.length, 2);

  api.startBatch();
  api.create({ collection: 'contacts', data: { lastname: 'Batch Three' } });
  api.create({ collection: 'contacts', data: { lastname: 'Batch Four', nickname: 'not a column' } });
  // A failed change set answers with its failing request only.
  const failed = await api.executeBatch();
  assert.equal(failed.length, 1);
  assert.equal(failed[0].status, 400);
  assert.match(failed[0].error.message, /nickname/);
  const after = await api.retrieveMultiple({ collection: 'contacts', select: ['lastname'], filter: "startswith(lastname,'Batch ')" });
  assert.equal(after.value.length, 2);
});

// The admin side (docs/org-admin.md): sales stages and money columns from metadata, the
// settings environment variable, the seat team and its members, and a non-admin's refusal.
test('admin: sales stages and money columns through metadata casts', async () => {
  const stage = await api.retrieveAttributes({
    entityKey: "LogicalName='opportunity'",
    castType: 'Microsoft.Dynamics.CRM.MoneyAttributeMetadata',
    select: ['LogicalName', 'IsBaseCurrency'],
  });
  const names = stage.value.map((a) => a.LogicalName);
  assert.ok(names.includes('estimatedvalue') && names.includes('estimatedvalue_base'));
  const picklist = await api.retrieveAttribute({
    entityKey: "LogicalName='opportunity'",
    attributeKey: "LogicalName='salesstagecode'",
    castType: 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata',
    select: ['LogicalName'],
    expand: [{ property: 'OptionSet' }],
  });
  assert.equal(picklist.OptionSet.Options[0].Label.UserLocalizedLabel.Label, 'Qualify');
});

test('admin: a JSON environment variable and a seat team with members', async () => {
  const definition = await api.create({
    collection: 'environmentvariabledefinitions',
    data: {
      schemaname: 'new_crmsyncSettings', displayname: 'crmsync settings', type: 100000003,
      environmentvariabledefinition_environmentvariablevalue: [{ schemaname: 'new_crmsyncSettings', value: '{"crmsync":1}' }],
    },
  });
  assert.match(definition, /^[0-9a-f-]{36}$/);
  const values = await api.retrieveMultiple({ collection: 'environmentvariablevalues', select: ['value'], filter: "schemaname eq 'new_crmsyncSettings'" });
  assert.equal(values.value[0].value, '{"crmsync":1}');

  const who = await api.callFunction('WhoAmI');
  const team = await api.create({
    collection: 'teams',
    data: { name: 'crmsync seats', teamtype: 0, 'businessunitid@odata.bind': `/businessunits(${who.BusinessUnitId})` },
  });
  const rep = '00000008-0000-4000-8000-000000000005';
  await api.associate({ collection: 'teams', primaryKey: team, relationshipName: 'teammembership_association', relatedCollection: 'systemusers', relatedKey: rep });
  const members = await api.retrieveMultiple({ collection: `teams(${team})/teammembership_association`, select: ['systemuserid'] });
  assert.deepEqual(members.value.map((m) => m.systemuserid), [rep]);
  await api.disassociate({ collection: 'teams', primaryKey: team, relationshipName: 'teammembership_association', relatedKey: rep });
  const after = await api.retrieveMultiple({ collection: `teams(${team})/teammembership_association`, select: ['systemuserid'] });
  assert.equal(after.value.length, 0);
});

test('admin: a non-admin is refused with 0x80040220 naming the privilege', async () => {
  const token = await session('dynamics', 'rep@acme.onmicrosoft.com');
  const asRep = new DynamicsWebApi({ serverUrl: `${url}/`, dataApi: { version: '9.2' }, onTokenRefresh: async () => token });
  await assert.rejects(
    asRep.create({ collection: 'teams', data: { name: 'x' } }),
    (err) => err.status === 403 && err.code === '0x80040220' && /prvCreateTeam/.test(err.message),
  );
});
