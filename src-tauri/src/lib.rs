//! Pantau's desktop app: a thin Tauri shell over `pantau-engine` — commands, events, the
//! tray, the popup window and notification delivery.

pub mod args;
mod awake;
pub mod commands;
pub mod error;
pub mod events;
mod footprint;
mod held_alerts;
pub mod i18n;
mod notes;
mod platform;
mod session;
pub mod settings;
#[cfg(desktop)]
pub mod shortcut;
pub mod state;
pub mod taskbar;
pub mod ticker_icon;
#[cfg(desktop)]
mod tray;
pub mod updates;
pub mod window;

use pantau_engine::store::Store;
use pantau_engine::Origin;
use state::AppState;
use std::path::PathBuf;
use tauri::{Manager, Runtime, WindowEvent};

/// How the app starts.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// The cache file.
    pub db_path: PathBuf,
    /// Where kontan requests go (`PANTAU_KONTAN_ORIGIN` for the fixture site).
    pub origin: Origin,
    /// Run the refresh loop (tests of commands leave it off).
    pub start_loop: bool,
    /// Put the ticker in the tray.
    pub tray: bool,
    /// Start hidden in the tray (start at login).
    pub hidden: bool,
}

impl AppOptions {
    /// From the environment (`PANTAU_DB`, `PANTAU_KONTAN_ORIGIN`) and the command line (`--hidden`).
    pub fn from_env() -> pantau_engine::Result<AppOptions> {
        Ok(AppOptions {
            db_path: std::env::var_os("PANTAU_DB")
                .map(PathBuf::from)
                .or_else(Store::default_path)
                .unwrap_or_else(|| {
                    eprintln!(
                        "pantau: no home folder to keep a cache in: nothing is kept after exit"
                    );
                    PathBuf::from(":memory:")
                }),
            origin: Origin::from_flag_or_env(None)?,
            // `--quit` with no Pantau running starts nothing to show or refresh.
            start_loop: !args::given(args::QUIT),
            tray: true,
            hidden: args::given(args::HIDDEN) || args::given(args::QUIT),
        })
    }
}

/// Registers Pantau's state, commands and window behaviour on any runtime, so tests can use
/// `tauri::test::mock_builder()`. Fails when the cache cannot be opened.
pub fn run_app<R: Runtime>(
    builder: tauri::Builder<R>,
    options: AppOptions,
) -> pantau_engine::Result<tauri::Builder<R>> {
    let state = AppState::open(options.db_path.clone(), options.origin.clone())?;
    Ok(builder
        .manage(state)
        .manage(window::Popup::from_env())
        .manage(held_alerts::HeldAlerts::default())
        .manage(platform::Desktop::default())
        .manage(pantau_engine::notify::Notifier::new(Default::default()))
        .manage(updates::Updates::default())
        .invoke_handler(tauri::generate_handler![
            commands::market::market,
            commands::meta::meta,
            commands::market::refresh_now,
            commands::news::headlines,
            commands::news::article,
            commands::news::search,
            commands::news::mark_read,
            commands::news::mark_all_read,
            commands::news::set_saved,
            commands::news::saved_headlines,
            commands::news::lead_image,
            commands::settings::get_settings,
            commands::settings::set_settings,
            commands::market::indicator,
            commands::meta::ui_error,
            commands::alerts::alerts_inbox,
            commands::alerts::alerts_unseen,
            commands::alerts::word_preview,
            commands::alerts::snooze_alerts,
            commands::links::open_external,
            commands::popup::popup_ready,
            commands::popup::popup_painted,
            commands::popup::hide_popup,
            commands::updates::update_status,
            commands::updates::check_updates_now,
            commands::updates::install_update,
            commands::taskbar::taskbar_status,
            commands::taskbar::show_on_taskbar,
        ])
        .setup(move |app| {
            log::info!("Pantau {} starts", env!("CARGO_PKG_VERSION"));
            platform::setup(app);
            // The log quotes what the user read and was alerted on: theirs alone.
            if let Ok(dir) = app.path().app_log_dir() {
                pantau_engine::store::owner_only::tighten_folder(&dir);
            }
            #[cfg(desktop)]
            if options.tray {
                tray::create(app.handle())?;
                taskbar::watch(app.handle());
                let hidden = options.hidden;
                platform::find_tray_host(app.handle(), move |app| {
                    // A popup already open gets its taskbar entry; a start at login says once
                    // that Pantau runs and how to open it.
                    if let Some(popup) = app.get_webview_window(window::MAIN) {
                        let _ = popup.set_skip_taskbar(false);
                    }
                    if hidden {
                        notes::announce_running(app);
                    }
                });
            }
            if options.start_loop {
                events::start_loop(app.handle())?;
                updates::start(app.handle());
            }
            #[cfg(desktop)]
            platform::keep_start_at_login(
                app.handle(),
                app.state::<AppState>().settings().start_at_login,
            );
            session::quit_on_sigterm(app.handle());
            let (on_resume, on_lock) = (app.handle().clone(), app.handle().clone());
            platform::watch_sleep_and_lock(
                move || awake::resumed(&on_resume),
                move |locked| awake::screen_locked(&on_lock, locked),
            );
            #[cfg(desktop)]
            if let Some(keys) = app.state::<AppState>().settings().global_shortcut {
                if let Err(e) = shortcut::apply(app.handle(), Some(&keys)) {
                    log::warn!("{e}");
                }
            }
            // Started hidden (at login), no webview exists until the popup is asked for.
            if !options.hidden {
                window::show_main(app.handle());
            }
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                if handle.webview_windows().is_empty() {
                    footprint::settle("30 s after a hidden start");
                }
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            // Another monitor or another display scaling (Windows' WM_DPICHANGED): the tray's
            // icon is drawn again for the size the tray shows now (and within a minute anyway,
            // as the tray looks again, when no window is open to hear it).
            if let WindowEvent::ScaleFactorChanged { .. } = event {
                tray::request_update(window.app_handle());
            }
            // Closing the popup hides it (minimises it where no tray would bring it back);
            // quitting is explicit (tray menu).
            if let WindowEvent::CloseRequested { api, .. } = event {
                api.prevent_close();
                if platform::no_tray_host(window.app_handle()) {
                    let _ = window.minimize();
                } else {
                    window::hide_main(window.app_handle());
                }
            }
        }))
}

/// Runs the desktop app.
pub fn run() {
    // The installer's helper (Windows): closes the running Pantau, then ends.
    if let Some(code) = platform::installer_helper() {
        std::process::exit(code);
    }
    // `pantau --quit`, `--install-update` and `--show-tray-icon` with no Pantau running have
    // nothing to do.
    let quit_only = args::given(args::QUIT)
        || args::given(args::INSTALL_UPDATE)
        || args::given(args::SHOW_TRAY_ICON);
    footprint::prepare_process();
    let runtime = footprint::runtime().unwrap_or_else(|e| {
        eprintln!("pantau: cannot start the async runtime: {e}");
        std::process::exit(1);
    });
    tauri::async_runtime::set(runtime.handle().clone());
    let options = match AppOptions::from_env() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("pantau: {e}");
            std::process::exit(2);
        }
    };
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            // `pantau --toggle` (bound to a key in the desktop's own settings where apps may not
            // take global shortcuts) shows or hides; a start at login while Pantau already runs
            // (`--hidden`) changes nothing; any other second launch shows.
            if argv.iter().any(|a| a == args::QUIT) {
                log::info!("asked to quit by a second launch");
                session::quit(app)
            } else if argv.iter().any(|a| a == args::INSTALL_UPDATE) {
                log::info!("asked to install the update by a second launch");
                updates::install_now(app)
            } else if argv.iter().any(|a| a == args::SHOW_TRAY_ICON) {
                log::info!("asked to show the tray icon on the taskbar by a second launch");
                taskbar::show_on_taskbar(app);
            } else if argv.iter().any(|a| a == args::TOGGLE) {
                window::toggle_main(app)
            } else if !argv.iter().any(|a| a == args::HIDDEN) {
                window::show_main(app)
            }
        }))
        .plugin(
            tauri_plugin_log::Builder::new()
                .targets([
                    tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::LogDir {
                        file_name: None,
                    }),
                    tauri_plugin_log::Target::new(tauri_plugin_log::TargetKind::Stdout),
                ])
                .level(log::LevelFilter::Info)
                // Messages may quote a page (a rejected word, an error's text): steering
                // characters are written as visible escapes, never raw into the log.
                .format(|out, message, record| {
                    let message = message.to_string();
                    out.finish(format_args!(
                        "{}[{}][{}] {}",
                        chrono::Local::now().format("[%Y-%m-%d][%H:%M:%S]"),
                        record.target(),
                        record.level(),
                        pantau_engine::parse::escape_steering(&message)
                    ))
                })
                // Libraries that log with tracing reach the log too (as the engine does); their
                // chatter (D-Bus handshakes, span entries) is not the user's business.
                .level_for("zbus", log::LevelFilter::Warn)
                .level_for("tracing::span", log::LevelFilter::Off)
                .build(),
        )
        .plugin(tauri_plugin_positioner::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init());
    // Start at login: the autostart plugin where it serves (Linux, macOS); Windows writes its
    // Run value itself (platform::apply_start_at_login).
    let builder = platform::with_start_at_login(builder);
    // Windows installs a newer Pantau itself (a build made by ./scripts/release).
    let source = updates::source();
    let builder = platform::with_updater(builder, source.is_some_and(|s| s.pubkey.is_some()));
    let builder = run_app(builder, options).unwrap_or_else(|e| {
        eprintln!("pantau: cannot open the cache: {e}");
        std::process::exit(1);
    });
    let mut context = tauri::generate_context!();
    if let Some((url, pubkey)) = source.and_then(|s| Some((s.url, s.pubkey?))) {
        platform::configure_updater(&mut context, url, pubkey);
    }
    let app = builder.build(context).unwrap_or_else(|e| {
        eprintln!("pantau: cannot start: {e}");
        std::process::exit(1);
    });
    if quit_only {
        // This is the only Pantau (a running one would have been handed `--quit` and quit).
        return;
    }
    app.run(|app, event| match event {
        // Only "Keluar" (an explicit exit code) ends the app; closing windows does not.
        tauri::RunEvent::ExitRequested { api, code, .. } if code.is_none() => api.prevent_exit(),
        // What the tray left on disk (Linux: its icon files) goes with the app.
        #[cfg(desktop)]
        tauri::RunEvent::Exit => tray::tidy_up(app),
        _ => {}
    });
}
