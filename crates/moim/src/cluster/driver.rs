//! The pub/sub driver under socketioxide's Redis adapter, on a redis
//! `ConnectionManager` instead of the adapter's own plain connection.
//!
//! Why our own: the adapter's built-in driver holds one multiplexed connection
//! that never comes back once Redis restarts, so a node would stay cut off
//! from the others for good. The connection manager reconnects by itself and
//! subscribes again to every channel it had (`set_automatic_resubscription`),
//! so broadcasts cross nodes again as soon as Redis is back.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use redis::aio::ConnectionManager;
use redis::{AsyncCommands, FromRedisValue, PushInfo, PushKind};
use socketioxide_redis::drivers::{ChanItem, Driver, MessageStream};
use tokio::sync::mpsc;

/// Where each subscribed channel's messages go.
type Handlers = Arc<RwLock<HashMap<String, mpsc::Sender<ChanItem>>>>;

/// A [`Driver`] on a reconnecting connection (clones share it).
#[derive(Clone)]
pub struct ManagedDriver {
    handlers: Handlers,
    conn: ConnectionManager,
}

impl ManagedDriver {
    /// Connects to Redis (RESP3: pub/sub messages arrive on the same connection
    /// as commands). Fails when Redis cannot be reached now. The connection is
    /// also the one presence uses: each heartbeat keeps it tried, so a Redis
    /// that comes back is found again within one beat.
    pub async fn connect(
        client: redis::Client,
        config: redis::aio::ConnectionManagerConfig,
    ) -> redis::RedisResult<Self> {
        let handlers: Handlers = Arc::default();
        let routes = handlers.clone();
        let config =
            config
                .set_automatic_resubscription()
                .set_push_sender(move |message: PushInfo| {
                    route(message, &routes);
                    Ok::<(), std::convert::Infallible>(())
                });
        let conn = ConnectionManager::new_with_config(client, config).await?;
        Ok(Self { handlers, conn })
    }

    /// The connection, for commands.
    pub fn connection(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// Subscribes to `chan`: its messages (at most `size` waiting, the rest
    /// dropped and logged) come on the returned receiver, again after Redis
    /// comes back.
    pub async fn listen(
        &self,
        chan: &str,
        size: usize,
    ) -> redis::RedisResult<mpsc::Receiver<ChanItem>> {
        let (tx, rx) = mpsc::channel(size);
        self.handlers
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(chan.to_owned(), tx);
        self.conn.clone().subscribe(chan).await?;
        Ok(rx)
    }
}

/// Hands a pushed message to its channel's stream.
fn route(message: PushInfo, handlers: &Handlers) {
    if !matches!(message.kind, PushKind::Message | PushKind::SMessage) || message.data.len() < 2 {
        return;
    }
    let mut data = message.data.into_iter();
    let (Some(channel), Some(payload)) = (data.next(), data.next()) else {
        return;
    };
    let (Ok(channel), Ok(payload)) = (
        String::from_redis_value(channel),
        Vec::<u8>::from_redis_value(payload),
    ) else {
        tracing::warn!("unreadable message from redis pub/sub");
        return;
    };
    let handlers = handlers.read().unwrap_or_else(|e| e.into_inner());
    if let Some(tx) = handlers.get(&channel)
        && let Err(e) = tx.try_send((channel, payload))
    {
        tracing::warn!(error = %e, "redis pub/sub queue full: a cluster message was dropped");
    }
}

/// The driver's error: Redis's own.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DriverError(#[from] redis::RedisError);

impl Driver for ManagedDriver {
    type Error = DriverError;

    async fn publish(&self, chan: String, val: Vec<u8>) -> Result<(), DriverError> {
        self.conn
            .clone()
            .publish::<_, _, redis::Value>(chan, val)
            .await?;
        Ok(())
    }

    async fn subscribe(
        &self,
        chan: String,
        size: usize,
    ) -> Result<MessageStream<ChanItem>, DriverError> {
        Ok(MessageStream::new(self.listen(&chan, size).await?))
    }

    async fn unsubscribe(&self, chan: String) -> Result<(), DriverError> {
        self.handlers
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&chan);
        self.conn.clone().unsubscribe(chan).await?;
        Ok(())
    }

    async fn num_serv(&self, chan: &str) -> Result<u16, DriverError> {
        let (_, count): (String, u16) = redis::cmd("PUBSUB")
            .arg("NUMSUB")
            .arg(chan)
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(count)
    }
}
