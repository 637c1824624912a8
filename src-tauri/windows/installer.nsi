; Pantau's Windows installer (NSIS 3, Unicode), built by `./scripts/package --windows`:
;   makensis -DVERSION=… -DBIN=<folder with pantau.exe, pantau-cli.exe, WebView2Loader.dll>
;            -DROOT=<repo> -DOUTFILE=<setup.exe> src-tauri/windows/installer.nsi
; Per user, no administrator rights: %LOCALAPPDATA%\Programs\Pantau, a Start-menu shortcut that
; carries the app's AppUserModelID (Windows shows toasts only for apps that have one) and an
; entry in Apps & Features. Installing over an older Pantau closes it and upgrades in place.
; /S installs and uninstalls silently; uninstalling keeps the cache and settings unless
; "Hapus cache dan pengaturan" is ticked. What Pantau's updater (tauri-plugin-updater) passes:
; /P passive (the progress page only, no question), /UPDATE (an update of an installed Pantau),
; /R start Pantau when done, with the arguments after /ARGS (the ones the old Pantau ran with:
; hidden if it ran hidden).

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
!ifdef FAST_COMPRESSION
SetCompressor zlib
!else
SetCompressor /SOLID lzma
!endif

!define NAME "Pantau"
!define APPID "id.pantau.app"
!define PUBLISHER "Pantau developers"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
; The WebView2 Runtime's client key (Evergreen), per machine or per user.
!define WEBVIEW2_KEY "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_PAGE "https://developer.microsoft.com/microsoft-edge/webview2/"

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${NAME}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${NAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${NAME} installer"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT OR Apache-2.0"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include Win\COM.nsh
!include Win\Propkey.nsh

!define MUI_ICON "${ROOT}\icons\icon.ico"
!define MUI_UNICON "${ROOT}\icons\icon.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\pantau.exe"
!define MUI_LANGDLL_ALLLANGUAGES

; /P (passive): every page but the progress is skipped.
Var Passive
Var Restart
Var RestartArgs
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipIfPassive
!insertmacro MUI_PAGE_LICENSE "${ROOT}\LICENSE-MIT"
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipIfPassive
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipIfPassive
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; Indonesian first: the installer speaks it unless Windows' language is another one we have.
!insertmacro MUI_LANGUAGE "Indonesian"
!insertmacro MUI_LANGUAGE "English"

LangString WebView2Missing ${LANG_INDONESIAN} "Pantau membutuhkan Microsoft Edge WebView2 Runtime untuk membuka jendelanya. Ticker di tray, pembaruan data dan notifikasi tetap berjalan tanpanya.$\r$\n$\r$\nBuka halaman unduhan Microsoft sekarang?$\r$\n${WEBVIEW2_PAGE}"
LangString WebView2Missing ${LANG_ENGLISH} "Pantau needs the Microsoft Edge WebView2 Runtime to open its window. The tray ticker, data refreshes and notifications work without it.$\r$\n$\r$\nOpen Microsoft's download page now?$\r$\n${WEBVIEW2_PAGE}"
LangString RemoveData ${LANG_INDONESIAN} "Hapus cache dan pengaturan"
LangString RemoveData ${LANG_ENGLISH} "Remove cache and settings"
LangString RemoveDataDesc ${LANG_INDONESIAN} "Berita, artikel tersimpan, riwayat baca, peringatan dan pengaturan Pantau di komputer ini."
LangString RemoveDataDesc ${LANG_ENGLISH} "Pantau's news, saved articles, reading history, alerts and settings on this computer."

; Closes this user's Pantau programs started from $INSTDIR before their files are replaced or
; removed: the running Pantau is asked to quit as "Keluar" does (through its single-instance
; window: the write in flight finishes, the cache is closed), and whatever of this user's
; pantau.exe and pantau-cli.exe from $INSTDIR still runs after ten seconds is ended through the
; API. Never by name from the search path, never another user's or another folder's program.
; HELPER is a pantau.exe of this version (it knows --close-installed).
!macro ClosePantau HELPER
  ExecWait '"${HELPER}" --close-installed "$INSTDIR"' $0
  DetailPrint "Pantau closed ($0)"
!macroend

; Gives the shortcut $0 the app's AppUserModelID, as Windows wants for toasts.
Function SetShortcutAppId
  Pop $9
  !insertmacro ComHlpr_CreateInProcInstance ${CLSID_ShellLink} ${IID_IShellLink} r0 ""
  ${If} $0 P<> 0
    ${IUnknown::QueryInterface} $0 '("${IID_IPersistFile}",.r1)'
    ${If} $1 P<> 0
      ${IPersistFile::Load} $1 '("$9",${STGM_READWRITE})'
      ${IUnknown::QueryInterface} $0 '("${IID_IPropertyStore}",.r2)'
      ${If} $2 P<> 0
        System::Call 'Propsys::InitPropVariantFromString(w "${APPID}",@r3)'
        System::Call '*${SYSSTRUCT_PROPERTYKEY}(${PKEY_AppUserModel_ID})p.r4'
        ${IPropertyStore::SetValue} $2 '($4,r3)'
        ${IPropertyStore::Commit} $2 ""
        System::Free $4
        ${IUnknown::Release} $2 ""
        ${IPersistFile::Save} $1 '("$9",1)'
      ${EndIf}
      ${IUnknown::Release} $1 ""
    ${EndIf}
    ${IUnknown::Release} $0 ""
  ${EndIf}
FunctionEnd

Function SkipIfPassive
  ${If} $Passive == 1
    Abort
  ${EndIf}
FunctionEnd

Function .onInit
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/P" $R1
  ${IfNot} ${Errors}
    StrCpy $Passive 1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/R" $R1
  ${IfNot} ${Errors}
    StrCpy $Restart 1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/ARGS" $RestartArgs
  ${If} ${Errors}
    StrCpy $RestartArgs ""
  ${EndIf}
  ${If} $Passive != 1
  ${AndIfNot} ${Silent}
    !insertmacro MUI_LANGDLL_DISPLAY
  ${EndIf}
FunctionEnd

; /R: Pantau starts again as it ran before the update.
Function .onInstSuccess
  ${If} $Restart == 1
    Exec '"$INSTDIR\pantau.exe" $RestartArgs'
  ${EndIf}
FunctionEnd

Section "Pantau" SecMain
  SectionIn RO
  ; Passive: the progress page closes by itself when done (in .onInit this has no effect).
  ${If} $Passive == 1
    SetAutoClose true
  ${EndIf}
  ; The installed pantau.exe may be an older version: this version's closes it, from the
  ; installer's own temporary folder.
  InitPluginsDir
  SetOutPath "$PLUGINSDIR\close"
  File "${BIN}\pantau.exe"
  File "${BIN}\WebView2Loader.dll"
  !insertmacro ClosePantau "$PLUGINSDIR\close\pantau.exe"
  SetOutPath "$INSTDIR"
  File "${BIN}\pantau.exe"
  File "${BIN}\pantau-cli.exe"
  File "${BIN}\WebView2Loader.dll"
  File "/oname=pantau.ico" "${ROOT}\icons\icon.ico"
  File "${ROOT}\LICENSE-MIT"
  File "${ROOT}\LICENSE-APACHE"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\pantau.exe" "" "$INSTDIR\pantau.ico" 0
  Push "$SMPROGRAMS\${NAME}.lnk"
  Call SetShortcutAppId

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\pantau.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  ; No WebView2 Runtime: say so and offer Microsoft's page (silent installs log it instead).
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_KEY}" "pv"
  ${If} $0 == ""
    ReadRegStr $0 HKLM "SOFTWARE\${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  ${If} $0 == ""
    ReadRegStr $0 HKCU "Software\${WEBVIEW2_KEY}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    DetailPrint "$(WebView2Missing)"
    ; An update (passive) asks nothing: the user was told when Pantau was first installed.
    ${If} $Passive != 1
      MessageBox MB_YESNO|MB_ICONINFORMATION "$(WebView2Missing)" /SD IDNO IDNO +2
        ExecShell "open" "${WEBVIEW2_PAGE}"
    ${EndIf}
  ${EndIf}
SectionEnd

Section "un.Pantau" UnSecMain
  SectionIn RO
  ${If} ${FileExists} "$INSTDIR\pantau.exe"
    !insertmacro ClosePantau "$INSTDIR\pantau.exe"
  ${EndIf}
  Delete "$INSTDIR\pantau.exe"
  Delete "$INSTDIR\pantau-cli.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\pantau.ico"
  Delete "$INSTDIR\LICENSE-MIT"
  Delete "$INSTDIR\LICENSE-APACHE"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${NAME}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; Start at login, as the app writes it (its product name), and Task Manager's switch for it.
  DeleteRegValue HKCU "${RUN_KEY}" "${NAME}"
  DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run" "${NAME}"
SectionEnd

Section /o "un.$(RemoveData)" UnSecData
  ; The cache and settings, and the app's log and webview data.
  RMDir /r "$LOCALAPPDATA\${NAME}\pantau"
  RMDir "$LOCALAPPDATA\${NAME}"
  RMDir /r "$LOCALAPPDATA\${APPID}"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "$(RemoveDataDesc)"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd
