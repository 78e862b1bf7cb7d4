pub fn run(_a: &[String]) -> crate::cmd::Result<()> { Ok(()) }
