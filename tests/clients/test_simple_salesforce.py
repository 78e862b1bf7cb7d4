"""simple-salesforce against the emulator's Salesforce REST API over TLS: CRUD, query
paging, composite and collections, upsert, and its own exception types."""

import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (
    SalesforceExpiredSession,
    SalesforceMalformedRequest,
    SalesforceRefusedRequest,
    SalesforceResourceNotFound,
)

VERSION = "66.0"


@pytest.fixture
def sf(emulator_url, http, control):
    control("POST", "/reset?seed=demo&crm=salesforce")
    token = control("POST", "/sessions?crm=salesforce")["token"]
    return Salesforce(instance_url=emulator_url, session_id=token, version=VERSION, session=http)


def test_crud(sf):
    created = sf.Contact.create({"FirstName": "Małgorzata", "LastName": "Wójcik"})
    assert created["success"] is True
    contact_id = created["id"]
    assert contact_id.startswith("003") and len(contact_id) == 18
    assert sf.Contact.get(contact_id)["Name"] == "Małgorzata Wójcik"
    assert sf.Contact.update(contact_id, {"Title": "Kierownik Zakupów"}) == 204
    assert sf.Contact.get(contact_id)["Title"] == "Kierownik Zakupów"
    assert sf.Contact.delete(contact_id) == 204
    with pytest.raises(SalesforceResourceNotFound) as err:
        sf.Contact.get(contact_id)
    assert err.value.content[0]["errorCode"] == "ENTITY_IS_DELETED"


def test_query_paging(sf, control):
    control("POST", "/generate/contacts?crm=salesforce&count=2100")
    first = sf.query("SELECT Id FROM Contact")
    assert first["done"] is False and len(first["records"]) == 2000
    rest = sf.query_more(first["nextRecordsUrl"], identifier_is_url=True)
    assert rest["done"] is True
    assert len(first["records"]) + len(rest["records"]) == first["totalSize"]
    everything = sf.query_all("SELECT Id, Name, Account.Name FROM Contact")
    assert everything["totalSize"] == len(everything["records"]) == first["totalSize"]


def test_query_all_includes_deleted(sf):
    contact_id = sf.Contact.create({"LastName": "Temporary"})["id"]
    sf.Contact.delete(contact_id)
    live = sf.query(f"SELECT Id FROM Contact WHERE Id = '{contact_id}'")
    assert live["totalSize"] == 0
    deleted = sf.query_all(f"SELECT Id, IsDeleted FROM Contact WHERE Id = '{contact_id}'", include_deleted=True)
    assert deleted["records"][0]["IsDeleted"] is True


def test_composite_and_collections(sf):
    base = f"/services/data/v{VERSION}"
    result = sf.restful(
        "composite",
        method="POST",
        json={
            "allOrNone": True,
            "compositeRequest": [
                {"method": "POST", "url": f"{base}/sobjects/Account", "referenceId": "acct", "body": {"Name": "Kılıç Yazılım A.Ş."}},
                {"method": "POST", "url": f"{base}/sobjects/Contact", "referenceId": "ct", "body": {"LastName": "Kılıç", "AccountId": "@{acct.id}"}},
                {"method": "GET", "url": f"{base}/query?q=SELECT+Name+FROM+Contact+WHERE+Id='@{{ct.id}}'", "referenceId": "q"},
            ],
        },
    )
    codes = [r["httpStatusCode"] for r in result["compositeResponse"]]
    assert codes == [201, 201, 200]
    assert result["compositeResponse"][2]["body"]["records"][0]["Name"] == "Kılıç"
    made = sf.restful(
        "composite/sobjects",
        method="POST",
        json={"allOrNone": False, "records": [
            {"attributes": {"type": "Lead"}, "LastName": "Ibáñez", "Company": "Peña SL"},
            {"attributes": {"type": "Lead"}, "LastName": "No company"},
        ]},
    )
    assert made[0]["success"] is True
    assert made[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"


def test_upsert(sf):
    made = sf.restful(
        "tooling/sobjects/CustomField",
        method="POST",
        json={"FullName": "Lead.Crmsync_Key__c", "Metadata": {"label": "crmsync key", "type": "Text", "length": 64, "externalId": True}},
    )
    assert made["success"] is True
    assert sf.Lead.upsert("Crmsync_Key__c/li-7", {"LastName": "Öztürk", "Company": "Öztürk İnşaat"}) == 201
    assert sf.Lead.upsert("Crmsync_Key__c/li-7", {"Title": "CEO"}) == 200
    found = sf.query("SELECT Title, Company FROM Lead WHERE Crmsync_Key__c = 'li-7'")
    assert found["records"][0]["Title"] == "CEO"


def test_errors(sf, control):
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.query("SELECT Id FROM Contact WHERE Name = 'x' AND Email = 'y' OR Title = 'z'")
    assert err.value.content[0]["errorCode"] == "MALFORMED_QUERY"
    # The message quotes the query and points at where parsing stopped (CRM-APIS A2).
    assert err.value.content[0]["message"].startswith("\nSELECT Id FROM Contact WHERE Name = 'x' AND Email = 'y' OR")
    assert "\nERROR at Row:1:Column:" in err.value.content[0]["message"]
    with pytest.raises(SalesforceMalformedRequest) as err:
        sf.Contact.create({"FirstName": "no last name"})
    assert err.value.content[0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert err.value.content[0]["fields"] == ["LastName"]
    control("POST", "/sessions/expire")
    with pytest.raises(SalesforceExpiredSession):
        sf.query("SELECT Id FROM Contact LIMIT 1")


# The admin side (docs/org-admin.md): seat-able users, the published settings record, a
# seat holder's one composite read, and a non-admin's refusal as simple-salesforce raises it.
def test_admin_users_settings_and_seats(sf, emulator_url, http, control):
    users = sf.query_all("SELECT Email FROM User WHERE IsActive = true AND UserType = 'Standard'")
    emails = {u["Email"] for u in users["records"]}
    assert "rep@acme.com" in emails and "integration@acme.com" not in emails
    assert "former.employee@acme.com" not in emails

    sf.restful("tooling/sobjects/CustomObject", method="POST", json={
        "FullName": "crmsync_Settings__c",
        "Metadata": {"label": "crmsync settings", "pluralLabel": "crmsync settings", "sharingModel": "Read"},
    })
    for name, meta in [("Json__c", {"type": "LongTextArea", "length": 131072}),
                       ("Key__c", {"type": "Text", "length": 40, "externalId": True, "unique": True})]:
        sf.restful("tooling/sobjects/CustomField", method="POST",
                   json={"FullName": f"crmsync_Settings__c.{name}", "Metadata": {"label": name, **meta}})
    upserted = sf.crmsync_Settings__c.upsert("Key__c/org", {"Name": "crmsync", "Json__c": "{}"})
    assert upserted in (200, 201, 204)

    permission_set = sf.PermissionSet.create({"Name": "crmsync_Seat", "Label": "crmsync seat"})
    sf.ObjectPermissions.create({"ParentId": permission_set["id"], "SobjectType": "crmsync_Settings__c",
                                 "PermissionsRead": True})
    rep_id = sf.query("SELECT Id FROM User WHERE Username = 'rep@acme.com'")["records"][0]["Id"]
    sf.PermissionSetAssignment.create({"AssigneeId": rep_id, "PermissionSetId": permission_set["id"]})

    token = control("POST", "/sessions?crm=salesforce&user=rep%40acme.com")["token"]
    rep = Salesforce(instance_url=emulator_url, session_id=token, version=VERSION, session=http)
    answer = rep.restful("composite", method="POST", json={"allOrNone": False, "compositeRequest": [
        {"method": "GET", "referenceId": "settings",
         "url": f"/services/data/v{VERSION}/query?q=SELECT+Json__c+FROM+crmsync_Settings__c"},
        {"method": "GET", "referenceId": "seat",
         "url": f"/services/data/v{VERSION}/query?q=SELECT+DeveloperName+FROM+UserSetupEntityAccess"},
    ]})
    settings, seat = answer["compositeResponse"]
    assert settings["httpStatusCode"] == 200 and settings["body"]["records"][0]["Json__c"] == "{}"
    assert seat["httpStatusCode"] == 200

    with pytest.raises(SalesforceRefusedRequest) as refused:
        rep.crmsync_Settings__c.upsert("Key__c/org", {"Json__c": "{\"x\":1}"})
    assert refused.value.content[0]["errorCode"] == "INSUFFICIENT_ACCESS_OR_READONLY"
