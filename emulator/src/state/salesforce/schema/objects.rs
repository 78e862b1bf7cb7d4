//! The standard objects and their fields (CRM-APIS A9, A10).

use super::field::{FieldType as T, *};
use super::object::ObjectDef;

pub const STAGES: &[&str] = &[
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
];
pub const TASK_STATUSES: &[&str] = &[
    "Not Started",
    "In Progress",
    "Completed",
    "Waiting on someone else",
    "Deferred",
];
pub const LEAD_STATUSES: &[&str] = &[
    "Open - Not Contacted",
    "Working - Contacted",
    "Closed - Converted",
    "Closed - Not Converted",
];
const LEAD_SOURCES: &[&str] = &[
    "Web",
    "Phone Inquiry",
    "Partner Referral",
    "Purchased List",
    "Other",
];
const WHO: &[&str] = &["Contact", "Lead"];
const WHAT: &[&str] = &["Account", "Opportunity"];

pub(super) fn object(
    name: &str,
    plural: &str,
    prefix: &str,
    owned: bool,
    own: Vec<FieldDef>,
) -> ObjectDef {
    let mut fields = system_fields(owned);
    fields.extend(own);
    ObjectDef {
        name: name.to_string(),
        label: label_of(name),
        label_plural: plural.to_string(),
        prefix: prefix.to_string(),
        fields,
    }
}

/// A record merged into another names the survivor in `MasterRecordId` (A20).
fn mergeable(object: &str, mut fields: Vec<FieldDef>) -> Vec<FieldDef> {
    fields.push(reference("MasterRecordId", &[object], "MasterRecord").read_only());
    fields
}

fn person_fields() -> Vec<FieldDef> {
    vec![
        picklist("Salutation", &["Mr.", "Ms.", "Mrs.", "Dr.", "Prof."]),
        text("FirstName", 40),
        text("LastName", 80).req(),
        name_of_person(),
        typed("Email", T::Email),
        typed("Phone", T::Phone),
        typed("MobilePhone", T::Phone),
        text("Title", 128),
        picklist("LeadSource", LEAD_SOURCES),
        typed("Description", T::Textarea),
    ]
}

pub fn standard_objects() -> Vec<ObjectDef> {
    let mut contact = person_fields();
    contact.extend([
        reference("AccountId", &["Account"], "Account"),
        text("Department", 80),
        text("MailingCity", 40),
        text("MailingCountry", 80),
    ]);
    let mut lead = person_fields();
    lead.extend([
        text("Company", 255).req(),
        restricted(picklist("Status", LEAD_STATUSES), "Open - Not Contacted").req(),
        text("City", 40),
        text("Country", 80),
        text("Industry", 40),
        boolean("IsConverted", false).read_only(),
        reference("ConvertedContactId", &["Contact"], "ConvertedContact").read_only(),
        reference("ConvertedAccountId", &["Account"], "ConvertedAccount").read_only(),
    ]);
    let activity_links = || {
        vec![
            reference("WhoId", WHO, "Who"),
            reference("WhatId", WHAT, "What"),
            reference("AccountId", &["Account"], "Account").read_only(),
            typed("Description", T::Textarea),
        ]
    };
    let mut task = vec![
        FieldDef::new("Subject", T::Combobox, 255),
        restricted(picklist("Status", TASK_STATUSES), "Not Started").req(),
        restricted(picklist("Priority", &["High", "Normal", "Low"]), "Normal").req(),
        typed("ActivityDate", T::Date).labelled("Due Date Only"),
        picklist("Type", &["Call", "Email", "Meeting", "Other"]),
        // Set on create only (A9).
        restricted(
            picklist(
                "TaskSubtype",
                &["Task", "Email", "ListEmail", "Cadence", "Call"],
            ),
            "Task",
        )
        .create_only(),
        typed("CallDurationInSeconds", T::Int),
        picklist("CallType", &["Inbound", "Internal", "Outbound"]),
        text("CallDisposition", 255),
        text("CallObject", 255),
        boolean("IsClosed", false).read_only(),
    ];
    task.extend(activity_links());
    let mut event = vec![
        FieldDef::new("Subject", T::Combobox, 255),
        typed("StartDateTime", T::DateTime),
        typed("EndDateTime", T::DateTime),
        typed("ActivityDateTime", T::DateTime),
        typed("ActivityDate", T::Date),
        typed("DurationInMinutes", T::Int),
        boolean("IsAllDayEvent", false),
        text("Location", 255),
    ];
    event.extend(activity_links());
    vec![
        object(
            "User",
            "Users",
            "005",
            false,
            vec![
                text("Username", 80).read_only(),
                text("FirstName", 40).read_only(),
                text("LastName", 80).read_only(),
                name_of_person(),
                typed("Email", T::Email).read_only(),
                text("Alias", 8).read_only(),
                text("Title", 80).read_only(),
                boolean("IsActive", true).read_only(),
                // Standard: a full Salesforce licence; the rest are portal, Chatter-only,
                // guest and automated users (A14).
                picklist(
                    "UserType",
                    &[
                        "Standard",
                        "PowerPartner",
                        "CsnOnly",
                        "Guest",
                        "AutomatedProcess",
                    ],
                )
                .read_only(),
                text("TimeZoneSidKey", 40).read_only(),
                text("LanguageLocaleKey", 40).read_only(),
            ],
        ),
        object(
            "Account",
            "Accounts",
            "001",
            true,
            vec![
                name_field(255).labelled("Account Name"),
                typed("Phone", T::Phone),
                typed("Website", T::Url),
                picklist(
                    "Industry",
                    &[
                        "Technology",
                        "Manufacturing",
                        "Finance",
                        "Construction",
                        "Retail",
                        "Energy",
                        "Healthcare",
                        "Media",
                    ],
                ),
                picklist(
                    "Type",
                    &[
                        "Prospect",
                        "Customer - Direct",
                        "Customer - Channel",
                        "Partner",
                        "Other",
                    ],
                ),
                text("BillingCity", 40),
                text("BillingCountry", 80),
                typed("NumberOfEmployees", T::Int),
                typed("Description", T::Textarea),
                reference("MasterRecordId", &["Account"], "MasterRecord").read_only(),
            ],
        ),
        object(
            "Contact",
            "Contacts",
            "003",
            true,
            mergeable("Contact", contact),
        ),
        object("Lead", "Leads", "00Q", true, mergeable("Lead", lead)),
        object(
            "Opportunity",
            "Opportunities",
            "006",
            true,
            vec![
                name_field(120),
                restricted(picklist("StageName", STAGES), "Prospecting")
                    .req()
                    .labelled("Stage"),
                typed("CloseDate", T::Date).req(),
                reference("AccountId", &["Account"], "Account"),
                typed("Amount", T::Currency),
                typed("Probability", T::Percent),
                picklist("Type", &["New Business", "Existing Business"]),
                picklist("LeadSource", LEAD_SOURCES),
                text("NextStep", 255),
                boolean("IsClosed", false).read_only(),
                boolean("IsWon", false).read_only(),
                typed("Description", T::Textarea),
            ],
        )
        .with_required_defaults_cleared(),
        object(
            "OpportunityContactRole",
            "Opportunity Contact Roles",
            "00K",
            false,
            vec![
                reference("OpportunityId", &["Opportunity"], "Opportunity")
                    .req()
                    .create_only(),
                reference("ContactId", &["Contact"], "Contact").req(),
                picklist(
                    "Role",
                    &[
                        "Business User",
                        "Decision Maker",
                        "Economic Buyer",
                        "Economic Decision Maker",
                        "Evaluator",
                        "Executive Sponsor",
                        "Influencer",
                        "Technical Buyer",
                        "Other",
                    ],
                ),
                boolean("IsPrimary", false),
            ],
        ),
        object("Task", "Tasks", "00T", true, task),
        object("Event", "Events", "00U", true, event),
        object(
            "Note",
            "Notes",
            "002",
            true,
            vec![
                reference(
                    "ParentId",
                    &["Account", "Contact", "Lead", "Opportunity"],
                    "Parent",
                )
                .req(),
                text("Title", 80).req(),
                FieldDef::new("Body", T::Textarea, 32000),
                boolean("IsPrivate", false),
            ],
        ),
        object(
            "ContentNote",
            "Notes",
            "069",
            true,
            vec![
                text("Title", 255).req(),
                FieldDef::new("Content", T::Base64, 0),
                text("TextPreview", 255).read_only(),
                text("FileType", 20).read_only(),
            ],
        ),
        object(
            "ContentDocumentLink",
            "Content Document Links",
            "06A",
            false,
            vec![
                reference("ContentDocumentId", &["ContentDocument"], "ContentDocument")
                    .req()
                    .create_only(),
                reference(
                    "LinkedEntityId",
                    &["Account", "Contact", "Lead", "Opportunity", "User"],
                    "LinkedEntity",
                )
                .req()
                .create_only(),
                restricted(picklist("ShareType", &["V", "C", "I"]), "V"),
                restricted(
                    picklist("Visibility", &["AllUsers", "InternalUsers", "SharedUsers"]),
                    "AllUsers",
                ),
            ],
        ),
    ]
}

impl ObjectDef {
    /// StageName has a default for describe but is still required on create (A10).
    fn with_required_defaults_cleared(mut self) -> Self {
        if let Some(stage) = self.fields.iter_mut().find(|f| f.name == "StageName") {
            stage.defaulted = false;
            stage.default_value = None;
        }
        self
    }
}

/// Child relationship names for describe and the Lightning related lists.
pub const CHILD_RELATIONSHIPS: &[(&str, &str, &str)] = &[
    ("Contact", "AccountId", "Contacts"),
    ("Opportunity", "AccountId", "Opportunities"),
    (
        "OpportunityContactRole",
        "OpportunityId",
        "OpportunityContactRoles",
    ),
    (
        "OpportunityContactRole",
        "ContactId",
        "OpportunityContactRoles",
    ),
    ("Task", "WhoId", "Tasks"),
    ("Task", "WhatId", "Tasks"),
    ("Event", "WhoId", "Events"),
    ("Event", "WhatId", "Events"),
    ("Note", "ParentId", "Notes"),
    (
        "ContentDocumentLink",
        "LinkedEntityId",
        "ContentDocumentLinks",
    ),
];
