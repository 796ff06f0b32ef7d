pub mod phone;
