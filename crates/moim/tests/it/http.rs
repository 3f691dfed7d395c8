//! The HTTP side through the real entry point: health, the UI, shutdown.

use crate::support::TestServer;

#[tokio::test]
async fn healthz_reports_version_and_uptime() {
    let server = TestServer::start(&[]).await;
    let (status, head, body) = server.get("/healthz").await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: application/json"), "{head}");
    let health: serde_json::Value = serde_json::from_str(&body).expect("JSON body");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    assert!(health["uptimeSeconds"].is_u64(), "{health}");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_ui_is_served_for_its_own_routes_and_nothing_else() {
    let server = TestServer::start(&[]).await;
    for path in ["/", "/r/standup", "/r/%ED%95%9C%EA%B8%80"] {
        let (status, head, body) = server.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(head.contains("content-type: text/html"), "{path}: {head}");
        assert!(head.contains("cache-control: no-cache"), "{path}: {head}");
        assert!(head.contains("content-security-policy"), "{path}: {head}");
        assert!(
            body.contains("<div id=\"root\">") || body.contains("moim"),
            "{path}: {body}"
        );
    }
    let (status, _, _) = server.get("/assets/missing-1234.js").await;
    assert_eq!(status, 404);
    // An address the UI has no page for: 404, with the page that says so.
    for path in ["/nonexistent/page", "/rooms"] {
        let (status, head, body) = server.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(head.contains("content-type: text/html"), "{path}: {head}");
        assert!(body.contains("moim"), "{path}: {body}");
    }
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn any_room_link_gets_the_ui_even_one_that_looks_like_a_file() {
    let server = TestServer::start(&[]).await;
    for path in ["/r/v1.2", "/r/notes.txt", "/r/a.b.c", "/r/standup/extra.js"] {
        let (status, head, _) = server.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(head.contains("content-type: text/html"), "{path}: {head}");
    }
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn the_data_dir_is_created() {
    let server = TestServer::start(&[]).await;
    assert!(server.data_dir.is_dir());
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn shutdown_closes_open_websockets_and_returns() {
    let server = TestServer::start(&[]).await;
    let mut client = server.ws().await;
    let stopping = tokio::spawn(server.stop());
    assert_eq!(
        client.next_text().await,
        None,
        "the server closed the socket"
    );
    stopping.await.expect("join").expect("clean stop");
}

#[tokio::test]
async fn the_socket_io_client_is_served_where_the_course_loads_it() {
    let server = TestServer::start(&[]).await;
    let (status, head, body) = server.get("/socket.io/socket.io.js").await;
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/javascript"), "{head}");
    assert!(
        body.contains("Socket.IO") || body.len() > 10_000,
        "looks like the client build"
    );
    // The engine still owns the rest of /socket.io/.
    let (status, _, body) = server.get("/socket.io/?EIO=4&transport=polling").await;
    assert_eq!(status, 200);
    assert!(
        body.starts_with("0{\"sid\""),
        "an engine.io handshake: {body}"
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn socket_io_refuses_other_sites_pages_on_both_transports() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let server = TestServer::start(&[]).await;
    let polling = "/socket.io/?EIO=4&transport=polling";
    // Polling: the Host these requests send is `localhost`.
    for (origin, expected) in [
        ("Origin: http://evil.example\r\n", 403),
        ("Origin: http://localhost\r\n", 200),
        ("", 200),
    ] {
        let (status, _, body) = server.get_with(polling, origin).await;
        assert_eq!(status, expected, "{origin:?}: {body}");
    }
    // The websocket transport, as a browser on another site would open it.
    let url = format!("ws://{}/socket.io/?EIO=4&transport=websocket", server.addr);
    let own = format!("http://{}", server.addr);
    for (origin, allowed) in [("http://evil.example", false), (own.as_str(), true)] {
        let mut request = url.as_str().into_client_request().unwrap();
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        match tokio_tungstenite::connect_async(request).await {
            Ok(_) => assert!(allowed, "{origin} was let in"),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert!(!allowed, "{origin} was refused");
                assert_eq!(response.status(), 403);
            }
            Err(e) => panic!("{origin}: {e}"),
        }
    }
    server.stop().await.expect("clean stop");
}
