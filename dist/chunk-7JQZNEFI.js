import { createRequire as __aigateCreateRequire } from 'node:module'; const require = __aigateCreateRequire(import.meta.url);
import{createClient,errorText,isPermissionError}from"./chunk-DI6B65MT.js";import"./chunk-3GB7C2JH.js";export{createClient,errorText,isPermissionError};
