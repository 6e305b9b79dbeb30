//! The National Public Service Portal's procedure records (dichvucong.gov.vn) into a
//! workspace: [`record`] reads the records, [`dossier`] splits a record's flattened dossier
//! table into rows, [`recognize`] finds each row's document among the workspace's.

pub mod dossier;
pub mod recognize;
pub mod record;
