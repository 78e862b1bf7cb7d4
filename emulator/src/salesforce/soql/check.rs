//! Name and type checks before a query runs: fields and relationship paths must exist
//! (`INVALID_FIELD`), literals must fit the field's type, ids must look like ids.

use super::ast::*;
use crate::salesforce::error::SfError;
use crate::state::salesforce::schema::{FieldDef, FieldType, ObjectDef, Schema};

pub struct Checker<'a> {
    pub schema: &'a Schema,
    pub object: &'a ObjectDef,
}

impl Checker<'_> {
    /// The field a path ends at, following relationships (`Account.Owner.Name`).
    pub fn resolve(&self, path: &Path) -> Result<FieldDef, SfError> {
        let mut objects: Vec<&ObjectDef> = vec![self.object];
        for hop in &path[..path.len() - 1] {
            let reference = objects.iter().find_map(|o| o.relationship(hop)).ok_or_else(|| {
                SfError::bad(
                    "INVALID_FIELD",
                    format!("Didn't understand relationship '{hop}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."),
                )
            })?;
            objects = reference
                .reference_to
                .iter()
                .filter_map(|t| self.schema.object(target_object(t)))
                .collect();
        }
        let last = &path[path.len() - 1];
        objects
            .iter()
            .find_map(|o| o.field(last))
            .cloned()
            .ok_or_else(|| {
                let owner = if path.len() == 1 {
                    self.object.name.clone()
                } else {
                    path[path.len() - 2].clone()
                };
                SfError::no_such_column(last, &owner)
            })
    }

    pub fn check_expr(&self, expr: &Expr) -> Result<(), SfError> {
        match expr {
            Expr::And(parts) | Expr::Or(parts) => parts.iter().try_for_each(|p| self.check_expr(p)),
            Expr::Not(inner) => self.check_expr(inner),
            Expr::Cond(c) => {
                let field = self.resolve(&c.path)?;
                if field.ty == FieldType::Textarea {
                    return Err(SfError::bad(
                        "INVALID_FIELD",
                        format!("field '{}' can not be filtered in a query call", field.name),
                    ));
                }
                let id_like = matches!(field.ty, FieldType::Id | FieldType::Reference);
                if c.op == Op::Like && (!field.ty.is_text() || id_like) {
                    return Err(SfError::bad(
                        "INVALID_FIELD",
                        format!(
                            "invalid operator on field '{}': LIKE is valid on string fields only",
                            field.name
                        ),
                    ));
                }
                match &c.value {
                    Literal::List(items) => items.iter().try_for_each(|l| check_literal(&field, l)),
                    other => check_literal(&field, other),
                }
            }
        }
    }
}

/// `ContentDocument` references point at ContentNotes here.
pub fn target_object(name: &str) -> &str {
    if name == "ContentDocument" {
        "ContentNote"
    } else {
        name
    }
}

fn check_literal(field: &FieldDef, literal: &Literal) -> Result<(), SfError> {
    let ok = match literal {
        Literal::Null | Literal::Pattern(_) => true,
        Literal::Str(_) => field.ty.is_text(),
        Literal::Num(_) => field.ty.is_number(),
        Literal::Bool(_) => field.ty == FieldType::Boolean,
        Literal::Date(_) => field.ty == FieldType::Date,
        Literal::DateTime(_) => field.ty == FieldType::DateTime,
        Literal::DateFn(_) => matches!(field.ty, FieldType::Date | FieldType::DateTime),
        Literal::List(_) => false,
    };
    if let (true, Literal::Str(id)) = (ok, literal) {
        let is_id = matches!(field.ty, FieldType::Id | FieldType::Reference);
        let well_formed = id.is_empty()
            || ((id.len() == 15 || id.len() == 18)
                && id.chars().all(|c| c.is_ascii_alphanumeric()));
        if is_id && !well_formed {
            return Err(SfError::bad(
                "INVALID_QUERY_FILTER_OPERATOR",
                format!("invalid ID field: {id}"),
            ));
        }
    }
    if ok {
        return Ok(());
    }
    let message = if field.ty.is_text() {
        format!("value of filter criterion for field '{}' must be of type string and should be enclosed in quotes", field.name)
    } else {
        format!("value of filter criterion for field '{}' must be of type {} and should not be enclosed in quotes", field.name, field.ty.api_name())
    };
    Err(SfError::bad("INVALID_FIELD", message))
}
