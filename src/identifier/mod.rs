
pub mod phone;
