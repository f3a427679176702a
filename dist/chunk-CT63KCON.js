import { createRequire as __aigateCreateRequire } from 'node:module'; const require = __aigateCreateRequire(import.meta.url);
import{BudgetExceeded,budgetedBuffer,readParquet,spreadIndexes}from"./chunk-A5JRXHAH.js";import"./chunk-3GB7C2JH.js";export{BudgetExceeded,budgetedBuffer,readParquet,spreadIndexes};
