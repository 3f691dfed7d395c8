//! `nickname(name)`: sets the name shown in `welcome`, `bye` and messages.

use socketioxide::adapter::Adapter;

use crate::namespace::Namespace;
use crate::signal::request::Request;
use crate::validate;

pub async fn handle<A: Adapter>(mut req: Request<A>) {
    let _turn = req.turn().await;
    let checked = (|| {
        req.client.admit()?;
        validate::name(req.args()?.str(0)?)
    })();
    match checked {
        Ok(name) => {
            req.client.set_nickname(&name);
            req.hub
                .rename(Namespace::Course, req.client.participant(), &name)
                .await;
            req.done();
        }
        Err(refusal) => req.refuse("nickname", refusal),
    }
}
