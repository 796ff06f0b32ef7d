//! The store conformance suite on SQLite: in memory and in a WAL file.

use resetflow_server::store::{conformance, SqliteStore};

#[tokio::test]
async fn sqlite_memory_passes_the_conformance_suite() {
    let store = SqliteStore::open("sqlite::memory:").await.unwrap();
    conformance::run_all(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url).await.unwrap();
    conformance::run_all(&store).await;
    store.close().await;
}

#[tokio::test]
async fn database_file_is_created_migrated_and_reopened() {
    use resetflow_server::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let url = format!("sqlite://{}", path.display());
    assert!(!path.exists());
    let store = SqliteStore::open(&url).await.unwrap();
    let key = store.meta_get_or_init("master_key", b"k1").await.unwrap();
    store.close().await;
    assert!(path.exists(), "created on first start");
    // Reopening runs the migrations again (a no-op) and keeps the data.
    let store = SqliteStore::open(&url).await.unwrap();
    assert_eq!(
        store.meta_get_or_init("master_key", b"k2").await.unwrap(),
        key
    );
    store.close().await;
}
