; NSIS script for the Windows installer of OneWindow (一窗通办).
; Compiled by installer/build.py after PyInstaller has built the one-folder bundle:
;   makensis -DVERSION=0.1.0 -DBUNDLE_DIR=build\dist\onewindow -DOUTFILE=build\OneWindow-0.1.0-setup.exe installer\onewindow.nsi
; CI compiles it on Linux (-DCHECK_ONLY: no compression) to prove the script is valid; the
; real installer is built on Windows from the Windows bundle.
Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "..\build\dist\onewindow"
!endif
!ifndef OUTFILE
  !define OUTFILE "OneWindow-${VERSION}-setup.exe"
!endif
!ifdef CHECK_ONLY
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

Name "一窗通办 OneWindow ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\OneWindow"
InstallDirRegKey HKLM "Software\OneWindow" "InstallDir"
RequestExecutionLevel admin
BrandingText "一窗通办 综合窗口系统"

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\onewindow.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "一窗通办" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*.*"
  WriteRegStr HKLM "Software\OneWindow" "InstallDir" "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\一窗通办"
  CreateShortcut "$SMPROGRAMS\一窗通办\一窗通办.lnk" "$INSTDIR\onewindow.exe"
  CreateShortcut "$SMPROGRAMS\一窗通办\一窗通办（演示）.lnk" "$INSTDIR\onewindow.exe" "--demo"
  CreateShortcut "$SMPROGRAMS\一窗通办\卸载.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\一窗通办.lnk" "$INSTDIR\onewindow.exe"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\OneWindow" "DisplayName" "一窗通办 OneWindow"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\OneWindow" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\OneWindow" "UninstallString" "$INSTDIR\uninstall.exe"
SectionEnd

Section "Uninstall"
  ; The users' data (database, settings, logs in %LOCALAPPDATA%\OneWindow) is kept on purpose.
  RMDir /r "$INSTDIR"
  Delete "$DESKTOP\一窗通办.lnk"
  RMDir /r "$SMPROGRAMS\一窗通办"
  DeleteRegKey HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\OneWindow"
  DeleteRegKey HKLM "Software\OneWindow"
SectionEnd
