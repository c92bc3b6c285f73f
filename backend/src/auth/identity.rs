//! Who is calling: a staff member with a role, or a participant holding one invitation. The
//! extractors in `crate::extract` make these from a request; services take them as proof.

use domain::Role;
use uuid::Uuid;

/// A logged-in, active staff member, as the database knows them now (so a deactivation or a
/// role change takes effect at once, not when the token expires).
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub role: Role,
    pub team_id: Option<Uuid>,
}

impl StaffUser {
    pub fn is_at_least(&self, role: Role) -> bool {
        rank(self.role) >= rank(role)
    }
}

fn rank(role: Role) -> u8 {
    match role {
        // Outside the service: below every member of staff (and refused by `StaffUser`).
        Role::Commissioner => 0,
        Role::Specialist => 1,
        Role::Manager => 2,
        Role::Admin => 3,
    }
}

/// Anyone logged in with an email and password: a member of staff or a commissioner. Only for
/// what both may do ("who am I").
#[derive(Debug, Clone)]
pub struct SignedIn(pub StaffUser);

/// A commissioner: reads the published reports of the organisations that share with them.
#[derive(Debug, Clone)]
pub struct CommissionerUser(pub StaffUser);

/// Who may read a published report: a manager or admin of its organisation, or a commissioner
/// it is shared with (each route checks which, by `role`).
#[derive(Debug, Clone)]
pub struct ReportReader(pub StaffUser);

/// A staff member with at least the admin role.
#[derive(Debug, Clone)]
pub struct AdminUser(pub StaffUser);

/// A staff member with at least the manager role.
#[derive(Debug, Clone)]
pub struct ManagerUser(pub StaffUser);

/// A participant holding an invitation (after exchanging its link token or short code).
/// It opens that one invitation and nothing else.
#[derive(Debug, Clone)]
pub struct InvitationHolder {
    pub invitation_id: Uuid,
    pub organisation_id: Uuid,
    pub session_id: Uuid,
}
