// Every page registers itself when imported; the navigation follows this order.
import './facilities.ts';
import './cases.ts';
import './lots.ts';
import './releases.ts';
import './prices.ts';
import './audit.ts';
import './credit.ts';
import './inspections.ts';
