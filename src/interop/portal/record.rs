//! Reading the portal's procedure records.
