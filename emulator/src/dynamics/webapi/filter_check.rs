//! Type checks for `$filter`: properties must exist (lookups only as `_x_value`) and literals
//! must have the property's EDM type; a GUID is unquoted, a string quoted (B4). Dataverse
//! refuses mismatches, so code that passes here builds filters the real service accepts.

use super::error::DError;
use crate::dynamics::odata::filter::{Expr, Lit};
use crate::state::dynamics::schema::{AttrType, EntityDef};

fn edm(ty: AttrType) -> &'static str {
    match ty {
        AttrType::Uniqueidentifier | AttrType::Lookup => "Edm.Guid",
        AttrType::String | AttrType::Memo => "Edm.String",
        AttrType::Boolean => "Edm.Boolean",
        AttrType::DateTime => "Edm.DateTimeOffset",
        AttrType::DateOnly => "Edm.Date",
        AttrType::Money | AttrType::Decimal => "Edm.Decimal",
        AttrType::BigInt => "Edm.Int64",
        _ => "Edm.Int32",
    }
}

fn literal_edm(lit: &Lit) -> &'static str {
    match lit {
        Lit::Str(_) => "Edm.String",
        Lit::Num(_) => "Edm.Int32",
        Lit::Bool(_) => "Edm.Boolean",
        Lit::Bare(b) if b.len() == 36 && !b.contains(':') => "Edm.Guid",
        Lit::Bare(_) => "Edm.DateTimeOffset",
        Lit::Null => "null",
    }
}

fn fits(ty: AttrType, lit: &Lit) -> bool {
    match lit {
        Lit::Null => true,
        Lit::Str(_) => ty.is_text(),
        Lit::Num(_) => ty.is_number(),
        Lit::Bool(_) => ty == AttrType::Boolean,
        Lit::Bare(_) => match literal_edm(lit) {
            "Edm.Guid" => matches!(ty, AttrType::Uniqueidentifier | AttrType::Lookup),
            _ => matches!(ty, AttrType::DateTime | AttrType::DateOnly),
        },
    }
}

fn attr_type(entity: &EntityDef, prop: &str) -> Result<AttrType, DError> {
    if prop == entity.primary_id {
        return Ok(AttrType::Uniqueidentifier);
    }
    entity
        .attrs
        .iter()
        .find(|a| a.key() == prop)
        .map(|a| a.ty)
        .ok_or_else(|| DError::no_property(&entity.logical, prop))
}

pub fn check(entity: &EntityDef, expr: &Expr) -> Result<(), DError> {
    match expr {
        Expr::And(a, b) | Expr::Or(a, b) => {
            check(entity, a)?;
            check(entity, b)
        }
        Expr::Not(inner) => check(entity, inner),
        Expr::Like { prop, .. } => {
            let ty = attr_type(entity, prop)?;
            if ty.is_text() {
                Ok(())
            } else {
                Err(DError::bad(format!("No function signature for the function with name 'contains' matches the specified arguments. The function signatures considered are: contains(Edm.String Nullable=true, Edm.String). Property '{prop}' is {}.", edm(ty))))
            }
        }
        Expr::Cmp { prop, value, .. } => {
            let ty = attr_type(entity, prop)?;
            if fits(ty, value) {
                Ok(())
            } else {
                Err(DError::bad(format!("A binary operator with incompatible types was detected. Found operand types '{}' and '{}' for operator kind 'Equal'.", edm(ty), literal_edm(value))))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::odata::filter::parse;
    use crate::state::dynamics::schema::Schema;

    #[test]
    fn guids_are_unquoted_and_strings_quoted() {
        let schema = Schema::default();
        let contact = schema.by_logical("contact").unwrap();
        let ok = parse(
            "_parentcustomerid_value eq 00000001-0000-4000-8000-000000000001 and lastname eq 'x'",
        )
        .unwrap();
        assert!(check(contact, &ok).is_ok());
        let quoted =
            parse("_parentcustomerid_value eq '00000001-0000-4000-8000-000000000001'").unwrap();
        assert!(check(contact, &quoted).is_err());
        assert!(check(contact, &parse("parentcustomerid eq null").unwrap()).is_err());
        assert!(check(contact, &parse("lastname eq 5").unwrap()).is_err());
        assert!(check(contact, &parse("contains(statecode,'1')").unwrap()).is_err());
    }
}
