//! Organisations (tenants), their teams and their staff.

use crate::values::{Email, Name, Password, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub name: Name,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateTeam {
    pub name: Name,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Staff {
    pub id: Uuid,
    pub name: String,
    pub email: Email,
    pub role: Role,
    pub team_id: Option<Uuid>,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    pub name: Name,
    pub email: Email,
    pub role: Role,
    #[serde(default)]
    pub team_id: Option<Uuid>,
    pub password: Password,
}

/// A partial update: absent fields stay as they are. `team_id: null` takes someone out of a team.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateStaff {
    #[serde(default)]
    pub name: Option<Name>,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub team_id: Option<Option<Uuid>>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub password: Option<Password>,
}

/// Tells "field absent" (`None`) from "field set to null" (`Some(None)`).
pub(crate) mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T, S>(v: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error>
    where
        T: Serialize,
        S: Serializer,
    {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        T: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_staff_tells_absent_from_null_team() {
        let absent: UpdateStaff = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.team_id, None);
        let null: UpdateStaff = serde_json::from_str(r#"{"team_id":null}"#).unwrap();
        assert_eq!(null.team_id, Some(None));
    }

    #[test]
    fn new_staff_refuses_unknown_fields_and_bad_values() {
        let ok = r#"{"name":"Ann","email":"ann@example.org","role":"specialist","password":"a long enough pw"}"#;
        assert!(serde_json::from_str::<NewStaff>(ok).is_ok());
        let bad_role = ok.replace("specialist", "owner");
        assert!(serde_json::from_str::<NewStaff>(&bad_role).is_err());
        let extra = ok.replace("{", r#"{"is_root":true,"#);
        assert!(serde_json::from_str::<NewStaff>(&extra).is_err());
    }
}
